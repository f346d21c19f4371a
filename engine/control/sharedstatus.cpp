#include "sharedstatus.h"

#include <QJsonObject>

#include <type_traits>

namespace bb::control {

namespace {
constexpr std::pair<SharedStateStatus::Link, const char *> kLinks[] = {
    {SharedStateStatus::Link::Connecting, "connecting"},
    {SharedStateStatus::Link::Connected, "connected"},
    {SharedStateStatus::Link::Down, "down"},
};
} // namespace

QString linkLabel(SharedStateStatus::Link link)
{
    for (const auto &[l, name] : kLinks)
        if (l == link)
            return QString::fromLatin1(name);
    return {};
}

QJsonObject sharedStateJson(const SharedStateStatus &s)
{
    QJsonObject o{{"link", linkLabel(s.link)},
                  {"cluster", QString::fromStdString(s.cluster)},
                  {"redis", QString::fromStdString(s.redis)},
                  {"instance", QString::fromStdString(s.instance)},
                  {"breakers", QString::fromStdString(s.breakers)},
                  {"since_ms", double(s.sinceMs)},
                  {"refused_records", double(s.refusedRecords)},
                  {"unsent", double(s.unsent)}};
    if (!s.problem.isEmpty())
        o.insert("problem", s.problem);
    return o;
}

std::optional<SharedStateStatus> sharedStateFromJson(const QJsonObject &o)
{
    SharedStateStatus s;
    const QString link = o.value("link").toString();
    bool known = false;
    for (const auto &[l, name] : kLinks)
        if (link == QLatin1String(name)) {
            s.link = l;
            known = true;
        }
    const auto count = [&o](const char *key, auto &out) {
        const double d = o.value(key).toDouble(-1);
        if (!o.value(key).isDouble() || d < 0 || d > 9007199254740992.0 || d != double(std::int64_t(d)))
            return false;
        out = std::remove_reference_t<decltype(out)>(d);
        return true;
    };
    const bool counts = count("since_ms", s.sinceMs) && count("refused_records", s.refusedRecords) &&
                        count("unsent", s.unsent);
    for (const char *key : {"cluster", "redis", "instance", "breakers"})
        if (!o.value(key).isString())
            return std::nullopt;
    if (!known || !counts)
        return std::nullopt;
    s.cluster = o.value("cluster").toString().toStdString();
    s.redis = o.value("redis").toString().toStdString();
    s.instance = o.value("instance").toString().toStdString();
    s.breakers = o.value("breakers").toString().toStdString();
    s.problem = o.value("problem").toString();
    return s;
}

} // namespace bb::control
