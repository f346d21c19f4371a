// Shared by the engine core tests: an engine on a manual clock and short
// ways to make calls with a chosen outcome and duration.
#pragma once

#include "core/engine.h"
#include "core/manualclock.h"

#include <QTest>

namespace bb {
// Found by QTest through argument-dependent lookup: failures print names.
inline char *toString(BreakerState s) { return qstrdup(std::string(nameOf(s)).c_str()); }
inline char *toString(RejectReason r) { return qstrdup(std::string(nameOf(r)).c_str()); }
inline char *toString(WindowType t) { return qstrdup(t == WindowType::Count ? "count" : "time"); }
inline char *toString(CauseKind k) { return QTest::toString(int(k)); }
inline char *toString(const WindowTotals &t)
{
    return qstrdup(("{calls " + std::to_string(t.calls) + ", failures " + std::to_string(t.failures) + ", slow " +
                    std::to_string(t.slow) + "}").c_str());
}
} // namespace bb

namespace bb::testing {

struct Rig {
    ManualClock clock{TimePoint(std::chrono::seconds(1000))};
    Engine engine{clock, clock};

    std::shared_ptr<CircuitBreaker> add(const BreakerPolicy &policy, const std::string &name = "svc")
    {
        return engine.addBreaker(name, policy);
    }
};

// Makes one call: acquire, then record the outcome with the latency.
// Returns whether it was admitted.
inline bool call(CircuitBreaker &b, Outcome outcome, Duration latency = ms(1))
{
    const Permit p = b.tryAcquire();
    if (p)
        b.record(p, outcome, latency);
    return bool(p);
}

inline int calls(CircuitBreaker &b, int n, Outcome outcome, Duration latency = ms(1))
{
    int admitted = 0;
    for (int i = 0; i < n; ++i)
        admitted += call(b, outcome, latency) ? 1 : 0;
    return admitted;
}

// A count-window policy that is easy to reason about in a test.
inline BreakerPolicy countPolicy(std::uint32_t size = 10, std::uint32_t minimumCalls = 10, double threshold = 50.0)
{
    BreakerPolicy p;
    p.windowType = WindowType::Count;
    p.windowSize = size;
    p.minimumCalls = minimumCalls;
    p.failureRateThreshold = threshold;
    p.waitDuration = std::chrono::seconds(10);
    p.halfOpenPermittedCalls = 3;
    p.halfOpenSuccessThreshold = 2;
    return p;
}

// CLOSED with an empty window although `late` failures came in since: they
// were admitted in an older generation, so they count and decide nothing.
inline void compareClosedWithLateFailures(const BreakerSnapshot &s, std::uint64_t late)
{
    QCOMPARE(s.state, BreakerState::Closed);
    QCOMPARE(s.window, (WindowTotals{0, 0, 0}));
    QCOMPARE(s.totals.failures, late);
    QCOMPARE(s.totals.stale, late);
}

inline OperatorCommand command(OperatorAction action, std::optional<Duration> expiresIn = std::nullopt)
{
    return {action, "alice", "testing", expiresIn};
}

} // namespace bb::testing
