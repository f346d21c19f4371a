#include "cacheentrycodec.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamReader>
#include <QCborValue>

#include <algorithm>
#include <string_view>

namespace bb::proxy {

namespace {
constexpr int kVersion = 1;
constexpr qsizetype kKeys = 6; // v, status, reason, fields, body, stored
constexpr std::int64_t kLongestAgeMs = 100LL * 365 * 24 * 3600 * 1000; // far below Duration's range

bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Field values and the reason may hold tabs and obs-text, never what would
// end a line or a C string.
bool isSafeText(const QByteArray &text)
{
    return !text.contains('\r') && !text.contains('\n') && !text.contains('\0');
}

bool isFieldName(const QByteArray &name)
{
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), isTokenChar);
}

std::optional<std::vector<std::pair<std::string, std::string>>> readFields(const QCborValue &value)
{
    if (!value.isArray() || value.toArray().size() > CacheEntryLimits::fields)
        return std::nullopt;
    std::vector<std::pair<std::string, std::string>> fields;
    qsizetype bytes = 0;
    for (const QCborValue &field : value.toArray()) {
        const QCborArray pair = field.toArray();
        if (!field.isArray() || pair.size() != 2 || !pair[0].isByteArray() || !pair[1].isByteArray())
            return std::nullopt;
        const QByteArray name = pair[0].toByteArray(), text = pair[1].toByteArray();
        bytes += name.size() + text.size();
        if (!isFieldName(name) || !isSafeText(text) || bytes > CacheEntryLimits::fieldBytes)
            return std::nullopt;
        fields.emplace_back(name.toStdString(), text.toStdString());
    }
    return fields;
}
} // namespace

QByteArray encodeCachedResponse(const CachedResponse &response, std::int64_t storedAtWallMs)
{
    QCborArray fields;
    for (const auto &[name, text] : response.fields)
        fields.append(QCborArray{QByteArray::fromStdString(name), QByteArray::fromStdString(text)});
    QCborMap map;
    map.insert(QStringLiteral("v"), kVersion);
    map.insert(QStringLiteral("status"), response.status);
    map.insert(QStringLiteral("reason"), QByteArray::fromStdString(response.reason));
    map.insert(QStringLiteral("fields"), fields);
    map.insert(QStringLiteral("body"), response.body);
    map.insert(QStringLiteral("stored"), qint64(storedAtWallMs));
    return map.toCborValue().toCbor();
}

std::optional<DecodedCacheEntry> decodeCachedResponse(const QByteArray &encoded)
{
    if (encoded.size() > CacheEntryLimits::encodedBytes)
        return std::nullopt;
    QCborStreamReader reader(encoded);
    const QCborValue value = QCborValue::fromCbor(reader);
    // One item, nothing after it.
    if (reader.lastError() != QCborError::NoError || reader.currentOffset() != encoded.size() || !value.isMap())
        return std::nullopt;
    const QCborMap map = value.toMap();
    const QCborValue version = map.value(QStringLiteral("v")), status = map.value(QStringLiteral("status")),
                     reason = map.value(QStringLiteral("reason")), body = map.value(QStringLiteral("body")),
                     stored = map.value(QStringLiteral("stored"));
    if (map.size() != kKeys || !version.isInteger() || version.toInteger() != kVersion || !status.isInteger() ||
        !reason.isByteArray() || !body.isByteArray() || !stored.isInteger())
        return std::nullopt;
    if (status.toInteger() < 100 || status.toInteger() > 599 || stored.toInteger() < 0)
        return std::nullopt;
    const QByteArray reasonText = reason.toByteArray();
    if (reasonText.size() > CacheEntryLimits::reasonBytes || !isSafeText(reasonText) ||
        body.toByteArray().size() > CacheEntryLimits::bodyBytes)
        return std::nullopt;
    auto fields = readFields(map.value(QStringLiteral("fields")));
    if (!fields)
        return std::nullopt;
    DecodedCacheEntry entry;
    entry.response.status = int(status.toInteger());
    entry.response.reason = reasonText.toStdString();
    entry.response.fields = std::move(*fields);
    entry.response.body = body.toByteArray();
    entry.storedAtWallMs = stored.toInteger();
    return entry;
}

Duration cacheEntryAge(std::int64_t storedAtWallMs, std::int64_t nowWallMs)
{
    if (storedAtWallMs >= nowWallMs)
        return Duration::zero();
    const std::uint64_t age = std::uint64_t(nowWallMs) - std::uint64_t(storedAtWallMs);
    return ms(std::int64_t(std::min<std::uint64_t>(age, kLongestAgeMs)));
}

} // namespace bb::proxy
