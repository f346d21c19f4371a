// One service's circuit breaker. tryAcquire() and record() are the hot path:
// no lock and no allocation, unless the call itself changes the state. Changes
// of state are rare and go through transition(), which serialises them,
// publishes an immutable StateInfo and queues an event.
//
// Generations: every change of state, window reset and change of window
// shape starts a new generation. A permit carries the generation that
// admitted it; its outcome is judged only while that generation lasts, so
// calls admitted before a reset never decide anything after it.
#pragma once

#include "breakerpolicy.h"
#include "breakerstate.h"
#include "cause.h"
#include "clock.h"
#include "epoch.h"
#include "operatorcommand.h"
#include "permit.h"
#include "slidingwindow.h"
#include "snapshot.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
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
    std::uint64_t generation = 0;    // the breaker's generation after the edit
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
    // The same, for a caller that has read the clock already: `completedAt`
    // is when the call ended, on the engine's clock.
    void record(const Permit &permit, Outcome outcome, Duration latency, TimePoint completedAt);
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

    // Following a cluster (breakerfollow.cpp): another instance decided, and
    // this breaker takes the same step, with a Shared cause naming it. Each
    // returns whether the breaker moved; forced and disabled breakers never do.
    // CLOSED or HALF_OPEN → OPEN, the next trial after `remainingWait` (at
    // least 1 ms, no jitter) rather than after the policy's wait.
    bool followOpen(const std::string &instance, const Cause &theirCause, Duration remainingWait);
    // OPEN or HALF_OPEN → CLOSED with an empty window.
    bool followClose(const std::string &instance, const Cause &theirCause);
    // Fleet-wide trial budget. While held, a breaker whose wait elapses enters
    // HALF_OPEN admitting no trial (rejected as HalfOpenFull) until
    // grantTrials() names that HALF_OPEN: the generation it was entered in (the
    // event's) or its current one (generation()). A grant for any other, or
    // once the breaker left HALF_OPEN, does nothing and returns false.
    // Releasing the hold also grants a HALF_OPEN that waits.
    void holdTrials(bool hold);
    bool grantTrials(std::uint64_t halfOpenGeneration);

private:
    struct StateInfo;
    struct Request;
    static constexpr std::size_t kMaxGroups = 4;
    static constexpr std::uint64_t kAnyGeneration = ~std::uint64_t(0);

    CircuitBreaker(std::string name, const BreakerPolicy &policy, EngineContext context);

    // A call that ended, as record() judges it.
    struct Ending {
        bool failed = false;
        bool slow = false;
        const TimePoint *at = nullptr; // null: read the clock when needed
        TimePoint time(const Clock &clock) const { return at ? *at : clock.now(); }
    };
    struct RetiredWindow {
        std::unique_ptr<SlidingWindow> window;
        WindowTotals lifetime; // when it was retired
        // What late writers, admitted before the window was replaced, added since.
        WindowTotals late() const { return window->lifetime() - lifetime; }
    };

    Permit reject(RejectReason reason);
    // A rejection the breaker decided itself (not an operator): enforced for
    // the policy's share of calls, the rest let through (Permit::letThrough).
    Permit shed(RejectReason reason, std::uint64_t word);
    // The order of this call among those shed in the generation, from 0.
    std::uint64_t nextShedIndex(std::uint64_t generation);
    // Empty: the breaker left HALF_OPEN meanwhile; ask again.
    std::optional<Permit> acquireHalfOpen(std::uint64_t generation);
    void recordAt(const Permit &permit, Outcome outcome, Duration latency, const TimePoint *at);
    void recordClosed(const Permit &permit, const CompiledRules &rules, const Ending &ending);
    void recordTrial(const Permit &permit, const CompiledRules &rules, const Ending &ending);
    void countUnjudged(const Ending &ending);
    void countStale(const Ending &ending);

    bool transition(std::uint64_t expectedGeneration, Request request);
    bool transitionLocked(std::uint64_t expectedGeneration, Request request);
    void notifyGroups();
    bool follow(BreakerState from1, BreakerState from2, Request request);
    void onWaitElapsed(std::uint64_t generation);
    void onExpiry(std::uint64_t generation);
    void scheduleAt(TimePoint at, void (CircuitBreaker::*handler)(std::uint64_t), std::uint64_t generation);
    double nextJitterUnit();
    std::shared_ptr<const StateInfo> info() const;
    // Under m_mutex.
    WindowTotals lifetime() const;
    // Under m_mutex: what edits and closes use.
    void renewGeneration();
    std::unique_ptr<SlidingWindow> freshWindow(const BreakerPolicy &policy, std::uint64_t since, TimePoint now);
    void replaceWindow(std::unique_ptr<SlidingWindow> fresh);
    void reclaim();

    const std::string m_name;
    const EngineContext m_context;

    // Read on every call, written only on transitions and edits.
    alignas(64) std::atomic<std::uint64_t> m_word;      // generation << 8 | state
    std::atomic<const CompiledRules *> m_rules;
    std::atomic<SlidingWindow *> m_window;
    std::atomic<std::int64_t> m_nextTrialAt{0};         // OPEN: engine time in ns
    std::atomic<std::uint64_t> m_enforcementPpm;        // the rules', for shed() without an epoch guard
    std::array<std::atomic<BreakerGroup *>, kMaxGroups> m_groups{};

    alignas(64) std::atomic<std::uint64_t> m_halfOpen{0}; // generation tag << 32 | used << 16 | successes
    std::atomic<std::uint64_t> m_shed{0};                 // generation tag << 32 | calls shed in it

    // Outcomes no window judged: trials, DISABLED, older generations.
    struct Unjudged {
        std::atomic<std::uint64_t> successes{0};
        std::atomic<std::uint64_t> failures{0};
        std::atomic<std::uint64_t> slow{0};
        std::atomic<std::uint64_t> stale{0}; // of which from older generations
    };
    // What is counted of every call besides: timeouts (which are failures
    // too), ignored outcomes, and calls rejected, by reason.
    struct Tallies {
        std::atomic<std::uint64_t> timeouts{0};
        std::atomic<std::uint64_t> ignored{0};
        std::array<std::atomic<std::uint64_t>, kBreakerRejectReasonCount> rejected{};
        std::array<std::atomic<std::uint64_t>, kBreakerRejectReasonCount> wouldReject{}; // let through
    };
    alignas(64) Unjudged m_unjudged;
    Tallies m_tallies;
    // Transitions so far, [from][to]; written under m_mutex, read by snapshots.
    std::array<std::array<std::atomic<std::uint64_t>, kBreakerStateCount>, kBreakerStateCount> m_transitions{};
    // Lifetime counts of the windows replaced (as they were then, and what
    // late writers added by the time they were freed), less what an edit
    // carried into the next window; under m_mutex.
    WindowTotals m_carried;

    // Transitions, edits and wiring; never taken by acquire/record unless
    // the call itself changes the state.
    mutable std::mutex m_mutex;
    std::shared_ptr<const StateInfo> m_info; // replaced, never changed, under m_mutex
    std::unique_ptr<const CompiledRules> m_ownedRules;
    std::unique_ptr<SlidingWindow> m_ownedWindow;
    // Replaced rules and windows a hot-path thread may still be reading,
    // freed once none can (epoch.h).
    epoch::RetiredList<const CompiledRules> m_retiredRules;
    epoch::RetiredList<RetiredWindow> m_retiredWindows;
    // A freed window, emptied, for the next one of its shape.
    std::unique_ptr<SlidingWindow> m_spareWindow;
    std::vector<std::shared_ptr<BreakerGroup>> m_groupRefs;
    bool m_holdTrials = false; // under m_mutex
    std::uint64_t m_random;
};

} // namespace bb
