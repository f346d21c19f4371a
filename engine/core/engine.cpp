#include "engine.h"

namespace bb {

Engine::Engine(const Clock &clock, TimerSource &timers, EngineOptions options)
    : m_context{&clock, &timers, std::make_shared<EventQueue>(), options.seed}
{
}

Engine::~Engine() = default;

std::shared_ptr<CircuitBreaker> Engine::addBreaker(const std::string &name, const BreakerPolicy &policy)
{
    if (name.empty())
        throw std::invalid_argument("a service needs a name");
    auto created = CircuitBreaker::create(name, policy, m_context);
    std::lock_guard lock(m_mutex);
    if (m_breakerIndex.count(name))
        throw std::invalid_argument(name + ": a service of this name exists already");
    m_breakerIndex.emplace(name, m_breakers.size());
    m_breakers.push_back(created);
    return created;
}

std::shared_ptr<BreakerGroup> Engine::addGroup(const std::string &name, const std::vector<std::string> &members,
                                               double thresholdPercent)
{
    if (name.empty())
        throw std::invalid_argument("a group needs a name");
    auto created = BreakerGroup::create(name, thresholdPercent, m_context);
    std::vector<std::shared_ptr<CircuitBreaker>> found;
    {
        std::lock_guard lock(m_mutex);
        if (m_groupIndex.count(name))
            throw std::invalid_argument(name + ": a group of this name exists already");
        if (members.empty())
            throw std::invalid_argument(name + ": a group needs at least one member");
        for (const auto &member : members) {
            const auto it = m_breakerIndex.find(member);
            if (it == m_breakerIndex.end())
                throw std::invalid_argument(name + ": member " + member + " is not a configured service");
            found.push_back(m_breakers[it->second]);
        }
        m_groupIndex.emplace(name, m_groups.size());
        m_groups.push_back(created);
    }
    for (const auto &member : found)
        created->addMember(member);
    return created;
}

std::shared_ptr<CircuitBreaker> Engine::breaker(std::string_view name) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_breakerIndex.find(name);
    return it == m_breakerIndex.end() ? nullptr : m_breakers[it->second];
}

std::shared_ptr<BreakerGroup> Engine::group(std::string_view name) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_groupIndex.find(name);
    return it == m_groupIndex.end() ? nullptr : m_groups[it->second];
}

std::vector<std::shared_ptr<CircuitBreaker>> Engine::breakers() const
{
    std::lock_guard lock(m_mutex);
    return m_breakers;
}

std::vector<std::shared_ptr<BreakerGroup>> Engine::groups() const
{
    std::lock_guard lock(m_mutex);
    return m_groups;
}

EngineSnapshot Engine::snapshot() const
{
    EngineSnapshot s;
    s.at = m_context.clock->now();
    s.wallMs = m_context.clock->wallMs(s.at);
    const auto allBreakers = breakers();
    const auto allGroups = groups();
    s.breakers.reserve(allBreakers.size());
    const Clock &clock = *m_context.clock;
    const auto moments = [&clock, at = s.at](auto &item) {
        const auto wall = [&](const std::optional<Duration> &ahead) {
            return ahead ? std::optional(clock.wallMs(at + *ahead)) : std::nullopt;
        };
        item.wall = {clock.wallMs(item.since), wall(item.nextTrialIn), wall(item.expiresIn)};
    };
    for (const auto &b : allBreakers)
        moments(s.breakers.emplace_back(b->snapshot(s.at)));
    s.groups.reserve(allGroups.size());
    for (const auto &g : allGroups)
        moments(s.groups.emplace_back(g->snapshot(s.at)));
    return s;
}

std::vector<TransitionEvent> Engine::drainEvents() { return m_context.events->drain(); }

} // namespace bb
