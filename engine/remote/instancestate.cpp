#include "instancestate.h"

#include "control/apijson.h"

#include <QJsonArray>

#include <chrono>

namespace bb::remote {

using control::Times;

struct InstanceState::Parsed {
    std::int64_t wallMs = 0;
    std::vector<BreakerSnapshot> breakers;
    std::vector<GroupSnapshot> groups;
    std::vector<control::ServiceTraffic> traffic;
    std::optional<control::SharedStateStatus> shared; // unset: not in the event
};

namespace {
// Every element of o[key] read with read; nullopt if any is malformed.
template <typename T, typename Read>
std::optional<std::vector<T>> readAll(const QJsonObject &o, const char *key, Read read)
{
    std::vector<T> out;
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return out;
    if (!v.isArray())
        return std::nullopt;
    for (const QJsonValue &item : v.toArray()) {
        auto parsed = read(item.toObject());
        if (!parsed)
            return std::nullopt;
        out.push_back(std::move(*parsed));
    }
    return out;
}

// o["shared_state"]: absent is fine (nothing said); present, it must parse.
bool readShared(const QJsonObject &o, std::optional<control::SharedStateStatus> &out)
{
    const QJsonValue v = o.value(QLatin1String("shared_state"));
    if (v.isUndefined())
        return true;
    out = v.isObject() ? control::sharedStateFromJson(v.toObject()) : std::nullopt;
    return out.has_value();
}

// Moves the durations of what did not change on to the time of the update.
template <typename T> void age(T &s, Duration by)
{
    s.timeInState += by;
    const auto shorten = [by](std::optional<Duration> &d) {
        if (d)
            d = std::max(Duration::zero(), *d - by);
    };
    shorten(s.expiresIn);
    shorten(s.nextTrialIn);
}

template <typename T>
std::unordered_map<std::string, std::size_t> indexOf(const std::vector<T> &items)
{
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < items.size(); ++i)
        index.emplace(items[i].name, i);
    return index;
}

template <typename T>
bool allKnown(const std::vector<T> &items, const std::unordered_map<std::string, std::size_t> &index)
{
    for (const T &item : items)
        if (!index.count(item.name))
            return false;
    return true;
}

template <typename T>
void putInPlace(std::vector<T> &into, std::vector<T> &&changed, const std::unordered_map<std::string, std::size_t> &index)
{
    for (T &item : changed)
        into[index.at(item.name)] = std::move(item);
}
} // namespace

std::optional<InstanceState::Parsed> InstanceState::parse(const QJsonObject &o, std::int64_t wallMs)
{
    Parsed p;
    const QJsonValue time = o.value(QLatin1String("time_ms"));
    if (!time.isDouble() || !(time.toDouble() >= 0 && time.toDouble() < 1e16))
        return std::nullopt;
    p.wallMs = std::int64_t(time.toDouble());
    if (wallMs != 0 && p.wallMs < wallMs)
        p.wallMs = wallMs; // an instance's clock stepped back: durations never run backwards
    auto breakers = readAll<BreakerSnapshot>(
        o, "breakers", [&](const QJsonObject &b) { return control::breakerFromJson(b, p.wallMs, Times::Absolute); });
    auto groups = readAll<GroupSnapshot>(
        o, "groups", [&](const QJsonObject &g) { return control::groupFromJson(g, p.wallMs, Times::Absolute); });
    auto traffic = readAll<control::ServiceTraffic>(o, "traffic", control::trafficFromJson);
    if (!breakers || !groups || !traffic || !readShared(o, p.shared))
        return std::nullopt;
    p.breakers = std::move(*breakers);
    p.groups = std::move(*groups);
    p.traffic = std::move(*traffic);
    return p;
}

bool InstanceState::replace(const QJsonObject &snapshot)
{
    if (!control::sameDurationBounds(snapshot.value(QLatin1String("duration_bounds_ms"))))
        return false;
    auto p = parse(snapshot, 0);
    if (!p)
        return false;
    auto s = std::make_shared<EngineSnapshot>();
    s->wallMs = p->wallMs;
    s->breakers = std::move(p->breakers);
    s->groups = std::move(p->groups);
    m_breakerIndex = indexOf(s->breakers);
    m_groupIndex = indexOf(s->groups);
    m_trafficIndex = indexOf(p->traffic);
    m_traffic = std::move(p->traffic);
    m_shared = std::move(p->shared);
    m_snapshot = std::move(s);
    return true;
}

bool InstanceState::update(const QJsonObject &changes)
{
    if (!m_snapshot)
        return false;
    auto p = parse(changes, m_snapshot->wallMs);
    if (!p || !allKnown(p->breakers, m_breakerIndex) || !allKnown(p->groups, m_groupIndex) ||
        !allKnown(p->traffic, m_trafficIndex))
        return false;
    // The window may still hold the previous snapshot: change a copy.
    auto s = std::make_shared<EngineSnapshot>(*m_snapshot);
    const Duration by = std::chrono::milliseconds(p->wallMs - s->wallMs);
    for (auto &b : s->breakers)
        age(b, by);
    for (auto &g : s->groups)
        age(g, by);
    s->wallMs = p->wallMs;
    putInPlace(s->breakers, std::move(p->breakers), m_breakerIndex);
    putInPlace(s->groups, std::move(p->groups), m_groupIndex);
    putInPlace(m_traffic, std::move(p->traffic), m_trafficIndex);
    if (p->shared)
        m_shared = std::move(p->shared);
    m_snapshot = std::move(s);
    return true;
}

std::shared_ptr<const control::Observation> InstanceState::observation() const
{
    if (!m_snapshot)
        return nullptr;
    auto o = std::make_shared<control::Observation>();
    o->engine = m_snapshot;
    o->traffic = m_traffic;
    o->sharedState = m_shared;
    return o;
}

} // namespace bb::remote
