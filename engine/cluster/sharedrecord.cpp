#include "sharedrecord.h"

#include "config/sharedstateconfig.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <cmath>

namespace bb::cluster {

namespace {
constexpr double kMaxExactInteger = 9007199254740992.0; // 2^53

QString str(const std::string &s) { return QString::fromStdString(s); }

QJsonObject versionJson(const Version &v)
{
    return {{"at_ms", double(v.atMs)}, {"seq", double(v.seq)}, {"instance", str(v.instance)}};
}

QJsonObject envelope(const char *type, const Version &v)
{
    return {{"format", kRecordFormat}, {"type", type}, {"version", versionJson(v)}};
}

QByteArray compact(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

// Reading fails by throwing the reason; decodeRecord turns it into an error.
struct Refused {
    std::string why;
};

std::int64_t integer(const QJsonObject &o, const char *key, double min = 0)
{
    const QJsonValue v = o.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d) || d < min || d > kMaxExactInteger)
        throw Refused{std::string(key) + " is not a whole number in range"};
    return std::int64_t(d);
}

// Printable text of at most `limit` characters; `required`: not empty.
std::string text(const QJsonObject &o, const char *key, qsizetype limit, bool required = true)
{
    const QJsonValue v = o.value(key);
    if (!v.isString())
        throw Refused{std::string(key) + " is not text"};
    const QString s = v.toString();
    if ((required && s.isEmpty()) || s.size() > limit)
        throw Refused{std::string(key) + (s.isEmpty() ? " is empty" : " is too long")};
    for (const QChar c : s)
        if (c.category() == QChar::Other_Control)
            throw Refused{std::string(key) + " holds control characters"};
    return s.toStdString();
}

Version version(const QJsonObject &o)
{
    if (!o.value("version").isObject())
        throw Refused{"version is missing"};
    const QJsonObject v = o.value("version").toObject();
    Version out{integer(v, "at_ms", 1), std::uint64_t(integer(v, "seq")), text(v, "instance", 64)};
    if (!isInstanceName(out.instance))
        throw Refused{"version.instance is not an instance name"};
    return out;
}

ForcedRecord forcedFrom(const QJsonObject &o)
{
    ForcedRecord r;
    const std::string target = text(o, "target", 300);
    r.isGroup = target.rfind("group/", 0) == 0;
    if (!r.isGroup && target.rfind("breaker/", 0) != 0)
        throw Refused{"target is neither breaker/NAME nor group/NAME"};
    r.name = target.substr(target.find('/') + 1);
    if (r.name.empty())
        throw Refused{"target names nothing"};
    const auto action = parseOperatorAction(text(o, "action", 32));
    if (!action)
        throw Refused{"action is not an operator action"};
    r.action = *action;
    r.actor = text(o, "actor", 200);
    r.reason = text(o, "reason", 2000, false);
    if (!o.value("expires_at_ms").isNull())
        r.expiresAtMs = integer(o, "expires_at_ms", 1);
    r.version = version(o);
    return r;
}

PolicyRecord policyFrom(const QJsonObject &o)
{
    PolicyRecord r;
    r.service = text(o, "service", 200);
    if (!o.value("policy").isObject())
        throw Refused{"policy is not an object"};
    r.policy = o.value("policy").toObject();
    r.actor = text(o, "actor", 200);
    r.reason = text(o, "reason", 2000, false);
    r.version = version(o);
    return r;
}

BreakerRecord breakerFrom(const QJsonObject &o)
{
    BreakerRecord r;
    r.name = text(o, "breaker", 200);
    const QString decision = o.value("decision").toString();
    if (decision != QLatin1String("open") && decision != QLatin1String("close"))
        throw Refused{"decision is neither open nor close"};
    r.open = decision == QLatin1String("open");
    r.cause = text(o, "cause", 2000);
    if (!Cause::parse(r.cause))
        throw Refused{"cause is not a cause"};
    r.openedAtMs = integer(o, "opened_at_ms");
    r.waitMs = integer(o, "wait_ms");
    r.version = version(o);
    return r;
}

AuditRecord auditFrom(const QJsonObject &o)
{
    const auto entry = o.value("entry").isObject() ? persist::AuditEntry::fromJson(o.value("entry").toObject())
                                                   : std::nullopt;
    if (!entry)
        throw Refused{"entry is not an audit entry"};
    AuditRecord r{*entry};
    r.entry.instance = text(o, "instance", 64);
    if (!isInstanceName(r.entry.instance))
        throw Refused{"instance is not an instance name"};
    return r;
}
} // namespace

bool ForcedRecord::forces(std::int64_t nowMs) const
{
    const bool forcing =
        action == OperatorAction::ForceOpen || action == OperatorAction::ForceClosed || action == OperatorAction::Disable;
    return forcing && (!expiresAtMs || *expiresAtMs > nowMs);
}

QByteArray encode(const ForcedRecord &r)
{
    QJsonObject o = envelope("forced", r.version);
    o.insert("target", str(r.field()));
    o.insert("action", QString::fromUtf8(nameOf(r.action).data()));
    o.insert("actor", str(r.actor));
    o.insert("reason", str(r.reason));
    o.insert("expires_at_ms", r.expiresAtMs ? QJsonValue(double(*r.expiresAtMs)) : QJsonValue(QJsonValue::Null));
    return compact(o);
}

QByteArray encode(const PolicyRecord &r)
{
    QJsonObject o = envelope("policy", r.version);
    o.insert("service", str(r.service));
    o.insert("policy", r.policy);
    o.insert("actor", str(r.actor));
    o.insert("reason", str(r.reason));
    return compact(o);
}

QByteArray encode(const BreakerRecord &r)
{
    QJsonObject o = envelope("breaker", r.version);
    o.insert("breaker", str(r.name));
    o.insert("decision", r.open ? "open" : "close");
    o.insert("cause", str(r.cause));
    o.insert("opened_at_ms", double(r.openedAtMs));
    o.insert("wait_ms", double(r.waitMs));
    return compact(o);
}

QByteArray encode(const AuditRecord &r)
{
    return compact({{"format", kRecordFormat}, {"type", "audit"}, {"instance", str(r.entry.instance)},
                    {"entry", r.entry.toJson()}});
}

Decoded decodeRecord(const QByteArray &json)
{
    if (json.size() > qsizetype(kMaxRecordBytes))
        return {std::nullopt, "larger than " + std::to_string(kMaxRecordBytes) + " bytes"};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return {std::nullopt, parseError.error != QJsonParseError::NoError ? "not JSON: " + parseError.errorString().toStdString()
                                                                           : "not a JSON object"};
    const QJsonObject o = doc.object();
    try {
        if (o.value("format").toInt(-1) != kRecordFormat || !o.value("format").isDouble())
            throw Refused{"format is not " + std::to_string(kRecordFormat)};
        const QString type = o.value("type").toString();
        if (type == QLatin1String("forced"))
            return {forcedFrom(o), {}};
        if (type == QLatin1String("policy"))
            return {policyFrom(o), {}};
        if (type == QLatin1String("audit"))
            return {auditFrom(o), {}};
        if (type == QLatin1String("breaker"))
            return {breakerFrom(o), {}};
        throw Refused{"type is not forced, policy, audit or breaker"};
    } catch (const Refused &r) {
        return {std::nullopt, r.why};
    }
}

} // namespace bb::cluster
