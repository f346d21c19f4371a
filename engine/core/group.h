// A group of services (hierarchical breaker). It is OPEN while more than its
// threshold fraction of members are OPEN or FORCED_OPEN, or while an operator
// forces it open; an open group rejects calls to every member. It has no
// timers of its own for recovery: it follows its members.
#pragma once

#include "breaker.h"

namespace bb {

class BreakerGroup : public std::enable_shared_from_this<BreakerGroup> {
public:
    // thresholdPercent in [0, 100). Throws std::invalid_argument.
    static std::shared_ptr<BreakerGroup> create(std::string name, double thresholdPercent, EngineContext context);

    const std::string &name() const { return m_name; }
    double threshold() const { return m_thresholdPercent; }
    // Wires a member in both directions and re-evaluates.
    void addMember(const std::shared_ptr<CircuitBreaker> &member);

    // Read on every call of every member: one relaxed load.
    bool rejectsCalls() const
    {
        const auto s = BreakerState(m_state.load(std::memory_order_relaxed));
        return s == BreakerState::Open || s == BreakerState::ForcedOpen;
    }
    BreakerState state() const { return BreakerState(m_state.load(std::memory_order_acquire)); }

    // A member changed state.
    void memberChanged();
    // force_open, force_closed or reset (which also resets every member).
    std::vector<PolicyError> apply(const OperatorCommand &command);
    GroupSnapshot snapshot(TimePoint now) const;

private:
    BreakerGroup(std::string name, double thresholdPercent, EngineContext context);
    // Recomputes the state under m_mutex; emits an event when it changes.
    void evaluate(std::unique_lock<std::mutex> &lock, std::optional<Cause> cause);
    std::uint32_t membersOpen() const;
    void onExpiry(std::uint64_t overrideToken);

    const std::string m_name;
    const double m_thresholdPercent;
    const EngineContext m_context;
    std::atomic<std::uint8_t> m_state{std::uint8_t(BreakerState::Closed)};

    mutable std::mutex m_mutex;
    std::vector<std::weak_ptr<CircuitBreaker>> m_members;
    std::vector<std::string> m_memberNames;
    std::optional<BreakerState> m_override; // FORCED_OPEN or FORCED_CLOSED
    std::optional<TimePoint> m_expiresAt;
    std::uint64_t m_overrideToken = 0; // tells a stale expiry timer from the current one
    std::uint64_t m_generation = 1;
    TimePoint m_since;
    Cause m_lastCause;
    Cause m_overrideCause;
    bool m_resetting = false; // members are being reset: judge once at the end
};

} // namespace bb
