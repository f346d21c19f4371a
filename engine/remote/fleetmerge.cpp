#include "fleetmerge.h"

#include "fleetsummary.h"

#include <chrono>
#include <unordered_map>

namespace bb::remote {

using control::FleetTarget;
using control::InstanceView;

namespace {
template <typename T> struct Merging {
    std::vector<T> items;
    std::unordered_map<std::string, std::size_t> index;
    std::vector<int> worstFrom; // the live instance whose state an item shows; -1: none yet

    // The item named like `item`, added from it when new; second: it is new.
    std::pair<T &, bool> at(const T &item)
    {
        const auto [it, added] = index.emplace(item.name, items.size());
        if (added) {
            items.push_back(item);
            worstFrom.push_back(-1);
        }
        return {items[it->second], added};
    }
};

void addTotals(BreakerTotals &into, const BreakerTotals &t)
{
    into.successes += t.successes;
    into.failures += t.failures;
    into.timeouts += t.timeouts;
    into.slow += t.slow;
    into.ignored += t.ignored;
    into.stale += t.stale;
    for (std::size_t r = 0; r < into.rejected.size(); ++r) {
        into.rejected[r] += t.rejected[r];
        into.wouldReject[r] += t.wouldReject[r];
    }
}

// The state and what goes with it, from the instance now the worst.
template <typename T> void takeStateOf(T &into, const T &from)
{
    into.state = from.state;
    into.generation = from.generation;
    into.timeInState = from.timeInState;
    into.nextTrialIn = from.nextTrialIn;
    into.expiresIn = from.expiresIn;
    into.wall = from.wall;
    into.lastCause = from.lastCause;
}

FleetTarget &targetOf(std::unordered_map<std::string, FleetTarget> &targets, const std::string &name, std::size_t n)
{
    FleetTarget &t = targets[name];
    t.states.resize(n);
    return t;
}
} // namespace

std::shared_ptr<const control::Observation> mergeFleet(std::vector<InstanceView> instances)
{
    auto fleet = std::make_shared<control::FleetView>();
    const std::size_t n = instances.size();
    Merging<BreakerSnapshot> breakers;
    Merging<GroupSnapshot> groups;
    Merging<control::ServiceTraffic> traffic;
    std::int64_t wallMs = 0;

    for (std::size_t i = 0; i < n; ++i) {
        const InstanceView &instance = instances[i];
        if (!instance.observation)
            continue;
        const bool live = instance.live();
        const EngineSnapshot &s = *instance.observation->engine;
        if (live)
            wallMs = std::max(wallMs, s.wallMs);
        for (const BreakerSnapshot &b : s.breakers) {
            auto [m, added] = breakers.at(b);
            const std::size_t k = breakers.index.at(b.name);
            FleetTarget &t = targetOf(fleet->breakers, b.name, n);
            if (!added) {
                addTotals(m.totals, b.totals);
                t.configDiffers |= !(m.policy == b.policy);
            }
            if (!live)
                continue;
            if (breakers.worstFrom[k] < 0) {
                // The first live one: its window and state replace whatever a lost one left.
                m.window = b.window;
                m.halfOpenPermitsUsed = b.halfOpenPermitsUsed;
                m.halfOpenPermitsLeft = b.halfOpenPermitsLeft;
                m.consecutiveFailures = b.consecutiveFailures;
                takeStateOf(m, b);
                breakers.worstFrom[k] = int(i);
            } else {
                m.window += b.window;
                m.halfOpenPermitsUsed += b.halfOpenPermitsUsed;
                m.halfOpenPermitsLeft += b.halfOpenPermitsLeft;
                m.consecutiveFailures = std::max(m.consecutiveFailures, b.consecutiveFailures);
                if (severity(b.state) > severity(m.state))
                    takeStateOf(m, b);
            }
            t.states[i] = b.state;
            ++t.reporting;
            t.open += turnsCallsAway(b.state);
        }
        for (const GroupSnapshot &g : s.groups) {
            auto [m, added] = groups.at(g);
            const std::size_t k = groups.index.at(g.name);
            FleetTarget &t = targetOf(fleet->groups, g.name, n);
            if (!added)
                t.configDiffers |= m.members != g.members || m.threshold != g.threshold;
            if (!live)
                continue;
            if (groups.worstFrom[k] < 0 || severity(g.state) > severity(m.state)) {
                takeStateOf(m, g);
                m.membersOpen = g.membersOpen;
                groups.worstFrom[k] = int(i);
            }
            t.states[i] = g.state;
            ++t.reporting;
            t.open += turnsCallsAway(g.state);
        }
        for (const control::ServiceTraffic &st : instance.observation->traffic) {
            auto [m, added] = traffic.at(st);
            if (!added)
                m += st;
        }
    }
    for (BreakerSnapshot &b : breakers.items) {
        b.failureRate = ratePercent(b.window.failures, b.window.calls);
        b.slowCallRate = ratePercent(b.window.slow, b.window.calls);
    }

    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->wallMs = wallMs;
    snapshot->breakers = std::move(breakers.items);
    snapshot->groups = std::move(groups.items);
    auto observation = std::make_shared<control::Observation>();
    observation->engine = std::move(snapshot);
    observation->traffic = std::move(traffic.items);
    fleet->instances = std::move(instances);
    observation->fleet = std::move(fleet);
    return observation;
}

Configuration configurationOf(const EngineSnapshot &snapshot)
{
    Configuration config;
    for (const BreakerSnapshot &b : snapshot.breakers) {
        ServiceConfig s;
        s.name = b.name;
        s.policy = b.policy;
        config.services.push_back(std::move(s));
    }
    for (const GroupSnapshot &g : snapshot.groups)
        config.groups.push_back({g.name, g.members, g.threshold});
    return config;
}

} // namespace bb::remote
