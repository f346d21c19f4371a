// One service's circuit breaker. tryAcquire() and record() are the hot path:
// lock-free and allocation-free. Changes of state are rare and go through
// transition(), which serialises them, publishes an immutable StateInfo and
// queues an event.
#pragma once

#include "breakerpolicy.h"
#include "breakerstate.h"
#include "cause.h"
#include "clock.h"
#include "operatorcommand.h"
#include "permit.h"
#include "slidingwindow.h"
#include "snapshot.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bb {

class BreakerGroup;
class EventQueue;

// What breakers and groups share inside one engine.
struct EngineContext {
    const Clock *clock = nullptr;
    TimerSource *timers = nullptr;
    std::shared_ptr<EventQueue> events;
    std::uint64_t seed = 0;
};

enum class WindowEdit { Keep, Reset };

struct PolicyUpdate {
    std::vector<PolicyError> errors; // non-empty: nothing was changed
    bool windowReset = false;        // the window started empty
    bool applied() const { return errors.empty(); }
};

class CircuitBreaker : public std::enable_shared_from_this<CircuitBreaker> {
public:
    // Throws std::invalid_argument naming every bad policy field.
    static std::shared_ptr<CircuitBreaker> create(std::string name, const BreakerPolicy &policy,
                                                  EngineContext context);
    ~CircuitBreaker();
    CircuitBreaker(const CircuitBreaker &) = delete;
    CircuitBreaker &operator=(const CircuitBreaker &) = delete;

    const std::string &name() const { return m_name; }

    Permit tryAcquire();
    void record(const Permit &permit, Outcome outcome, Duration latency);
    // Gives back a permit whose call never happened (the client went away).
    void release(const Permit &permit);

    std::vector<PolicyError> apply(const OperatorCommand &command);
    PolicyUpdate updatePolicy(const BreakerPolicy &policy, WindowEdit edit);

    BreakerState state() const;
    std::uint64_t generation() const;
    BreakerPolicy policy() const;
    BreakerSnapshot snapshot(TimePoint now) const;
    // The little a rejected caller is told: state, cause, time to the next trial.
    struct Status {
        BreakerState state = BreakerState::Closed;
        std::optional<Duration> nextTrialIn;
        std::optional<Duration> expiresIn;
        Cause cause;
    };
    Status status(TimePoint now) const;
    // The first of this breaker's groups that rejects calls now, if any.
    const BreakerGroup *rejectingGroup() const;

    // Wiring: the groups whose opening rejects this breaker's calls.
    void attachGroup(std::shared_ptr<BreakerGroup> group);
    // A group reset moves its members to CLOSED.
    void resetFromGroup(const std::string &group, const std::string &actor, const std::string &reason);

private:
    struct StateInfo;
    struct Request;
    static constexpr std::size_t kMaxGroups = 4;
    static constexpr std::uint64_t kAnyGeneration = ~std::uint64_t(0);

    CircuitBreaker(std::string name, const BreakerPolicy &policy, EngineContext context);

    Permit reject(RejectReason reason);
    Permit acquireHalfOpen(std::uint64_t generation);
    void recordClosed(const Permit &permit, const CompiledRules &rules, bool failed, bool slow);
    void recordTrial(const Permit &permit, const CompiledRules &rules, bool failed, bool slow);
    void countOutside(bool failed, bool slow);

    bool transition(std::uint64_t expectedGeneration, Request request);
    void onWaitElapsed(std::uint64_t generation);
    void onExpiry(std::uint64_t generation);
    void scheduleAt(TimePoint at, void (CircuitBreaker::*handler)(std::uint64_t), std::uint64_t generation);
    double nextJitterUnit();
    std::shared_ptr<const StateInfo> info() const;

    const std::string m_name;
    const EngineContext m_context;

    // Read on every call, written only on transitions and edits.
    alignas(64) std::atomic<std::uint64_t> m_word;      // generation << 8 | state
    std::atomic<const CompiledRules *> m_rules;
    std::atomic<SlidingWindow *> m_window;
    std::atomic<std::int64_t> m_nextTrialAt{0};         // OPEN: engine time in ns
    std::array<std::atomic<BreakerGroup *>, kMaxGroups> m_groups{};

    alignas(64) std::atomic<std::uint64_t> m_halfOpen{0}; // generation tag << 32 | used << 16 | successes
    alignas(64) std::atomic<std::uint64_t> m_consecutiveFailures{0};

    // Calls not judged by the window: trials, DISABLED, older generations.
    struct Outside {
        std::atomic<std::uint64_t> successes{0};
        std::atomic<std::uint64_t> failures{0};
        std::atomic<std::uint64_t> slow{0};
        std::atomic<std::uint64_t> timeouts{0};
        std::atomic<std::uint64_t> ignored{0};
        std::atomic<std::uint64_t> stale{0};
        std::array<std::atomic<std::uint64_t>, kRejectReasonCount> rejected{};
    };
    alignas(64) Outside m_outside;
    // Transitions so far, [from][to]; written under m_mutex, read by snapshots.
    std::array<std::array<std::atomic<std::uint64_t>, kBreakerStateCount>, kBreakerStateCount> m_transitions{};
    // Lifetime counts of windows replaced by policy edits.
    std::atomic<std::uint64_t> m_carriedCalls{0};
    std::atomic<std::uint64_t> m_carriedFailures{0};
    std::atomic<std::uint64_t> m_carriedSlow{0};

    // Transitions, edits and wiring; never taken by acquire/record unless
    // the call itself changes the state.
    mutable std::mutex m_mutex;
    // Guards only the pointer below, for the time it takes to copy it.
    mutable std::mutex m_infoMutex;
    std::shared_ptr<const StateInfo> m_info;
    std::unique_ptr<const CompiledRules> m_ownedRules;
    std::unique_ptr<SlidingWindow> m_ownedWindow;
    // A hot-path thread may still be reading a replaced rules or window
    // object, so replaced ones live as long as the breaker. Edits are made
    // by people and are rare.
    std::vector<std::unique_ptr<const CompiledRules>> m_retiredRules;
    std::vector<std::unique_ptr<SlidingWindow>> m_retiredWindows;
    std::vector<std::shared_ptr<BreakerGroup>> m_groupRefs;
    std::uint64_t m_random;
};

} // namespace bb
