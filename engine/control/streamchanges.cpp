#include "streamchanges.h"

#include "apijson.h"

#include <QJsonArray>

namespace bb::control {

namespace {
QJsonArray itemsAfter(const auto &items, std::uint64_t version)
{
    QJsonArray a;
    for (const auto &item : items)
        if (item.changed > version)
            a.append(item.json);
    return a;
}
} // namespace

std::uint64_t StreamChanges::take(const EngineSnapshot &snapshot, const std::vector<ServiceTraffic> &traffic,
                                  const std::optional<SharedStateStatus> &shared)
{
    ++m_version;
    m_wallMs = snapshot.wallMs;
    std::vector<QJsonObject> breakers, groups, services;
    breakers.reserve(snapshot.breakers.size());
    for (const auto &b : snapshot.breakers)
        breakers.push_back(breakerJson(b, Times::Absolute));
    for (const auto &g : snapshot.groups)
        groups.push_back(groupJson(g, Times::Absolute));
    for (const auto &t : traffic)
        services.push_back(trafficJson(t));
    merge(m_breakers, std::move(breakers));
    merge(m_groups, std::move(groups));
    merge(m_traffic, std::move(services));
    QJsonObject link = shared ? sharedStateJson(*shared) : QJsonObject{};
    if (link != m_shared.json)
        m_shared = {std::move(link), m_version};
    return m_version;
}

void StreamChanges::merge(std::vector<Item> &items, std::vector<QJsonObject> fresh)
{
    bool sameShape = items.size() == fresh.size();
    for (std::size_t i = 0; sameShape && i < fresh.size(); ++i)
        sameShape = items[i].json.value(QLatin1String("name")) == fresh[i].value(QLatin1String("name"));
    if (!sameShape) {
        m_shapeChanged = m_version;
        items.assign(fresh.size(), {});
    }
    for (std::size_t i = 0; i < fresh.size(); ++i) {
        if (items[i].changed != 0 && items[i].json == fresh[i])
            continue;
        items[i] = {std::move(fresh[i]), m_version};
    }
}

QJsonObject StreamChanges::whole() const
{
    QJsonObject o{{"time_ms", double(m_wallMs)},
                  {"duration_bounds_ms", durationBoundsJson()},
                  {"breakers", itemsAfter(m_breakers, 0)},
                  {"groups", itemsAfter(m_groups, 0)},
                  {"traffic", itemsAfter(m_traffic, 0)}};
    if (!m_shared.json.isEmpty())
        o.insert("shared_state", m_shared.json);
    return o;
}

std::optional<QJsonObject> StreamChanges::since(std::uint64_t version) const
{
    if (version < m_shapeChanged)
        return std::nullopt;
    QJsonObject o{{"time_ms", double(m_wallMs)}};
    const auto add = [&](const char *key, const std::vector<Item> &items) {
        const QJsonArray changed = itemsAfter(items, version);
        if (!changed.isEmpty())
            o.insert(QLatin1String(key), changed);
    };
    add("breakers", m_breakers);
    add("groups", m_groups);
    add("traffic", m_traffic);
    if (m_shared.changed > version && !m_shared.json.isEmpty())
        o.insert("shared_state", m_shared.json);
    return o;
}

} // namespace bb::control
