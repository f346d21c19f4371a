// The breaker engine: every breaker and group of one configuration, the clock
// and timers they run on, and the queue their transition events go to.
#pragma once

#include "breaker.h"
#include "eventqueue.h"
#include "group.h"
#include "snapshot.h"

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace bb {

struct EngineOptions {
    // Seeds the jitter of every breaker; the same seed gives the same waits.
    std::uint64_t seed = 0;
};

class Engine {
public:
    Engine(const Clock &clock, TimerSource &timers, EngineOptions options = {});
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    // Both throw std::invalid_argument with a message naming what is wrong.
    std::shared_ptr<CircuitBreaker> addBreaker(const std::string &name, const BreakerPolicy &policy);
    // thresholdPercent: the group opens when more than this share of members is open.
    std::shared_ptr<BreakerGroup> addGroup(const std::string &name, const std::vector<std::string> &members,
                                           double thresholdPercent);

    std::shared_ptr<CircuitBreaker> breaker(std::string_view name) const;
    std::shared_ptr<BreakerGroup> group(std::string_view name) const;
    std::vector<std::shared_ptr<CircuitBreaker>> breakers() const;
    std::vector<std::shared_ptr<BreakerGroup>> groups() const;

    EngineSnapshot snapshot() const;
    std::vector<TransitionEvent> drainEvents();
    const Clock &clock() const { return *m_context.clock; }

private:
    EngineContext m_context;
    mutable std::mutex m_mutex; // the catalogue below; never on the call path
    std::vector<std::shared_ptr<CircuitBreaker>> m_breakers;
    std::vector<std::shared_ptr<BreakerGroup>> m_groups;
    std::map<std::string, std::size_t, std::less<>> m_breakerIndex;
    std::map<std::string, std::size_t, std::less<>> m_groupIndex;
};

} // namespace bb
