// The rules that trip a CLOSED breaker, at and around their boundaries, and
// the wait in OPEN with backoff, cap and jitter.
#include "coretesting.h"

using namespace bb;
using namespace bb::testing;

namespace {
std::string lastCause(Rig &rig)
{
    const auto events = rig.engine.drainEvents();
    return events.empty() ? std::string() : events.back().cause.toString();
}

// Trips the breaker, then lets it reopen from HALF_OPEN `reopens` times;
// returns the wait chosen for each open.
std::vector<Duration> waitsOfSuccessiveOpens(Rig &rig, CircuitBreaker &b, int opens)
{
    std::vector<Duration> waits;
    calls(b, 10, Outcome::Failure);
    for (int i = 0; i < opens; ++i) {
        const auto s = b.snapshot(rig.clock.now());
        waits.push_back(*s.nextTrialIn);
        rig.clock.advance(*s.nextTrialIn);
        if (i + 1 < opens)
            call(b, Outcome::Failure);
    }
    return waits;
}
} // namespace

class TestBreakerRules : public QObject {
    Q_OBJECT
private slots:
    void failureRateExactlyAtThresholdTrips()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 5, Outcome::Success);
        calls(*b, 4, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        call(*b, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(lastCause(rig), std::string("failure rate 50% ≥ 50% over 10 calls"));
    }

    void failureRateOneBelowThresholdDoesNotTrip()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 6, Outcome::Success);
        calls(*b, 4, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).failureRate, 40.0);
    }

    void fractionalThresholdsCompareExactly()
    {
        // 0.3 in the configuration is 30%: three failures of ten must trip,
        // whatever 0.3 * 100 is in floating point.
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 0.3 * 100.0));
        calls(*b, 7, Outcome::Success);
        calls(*b, 2, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        call(*b, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open);
    }

    void minimumCallsMinusOneNeverTrips()
    {
        Rig rig;
        auto b = rig.add(countPolicy(20, 10, 50.0));
        calls(*b, 9, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{9, 9, 0}));
        call(*b, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(lastCause(rig), std::string("failure rate 100% ≥ 50% over 10 calls"));
    }

    void aSuccessThatReachesMinimumCallsCanTrip()
    {
        Rig rig;
        auto b = rig.add(countPolicy(20, 10, 50.0));
        calls(*b, 9, Outcome::Failure);
        call(*b, Outcome::Success);
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(lastCause(rig), std::string("failure rate 90% ≥ 50% over 10 calls"));
    }

    void countWindowForgetsOldFailures()
    {
        Rig rig;
        auto c = rig.add(countPolicy(10, 5, 50.0), "c");
        calls(*c, 6, Outcome::Success);
        calls(*c, 4, Outcome::Failure);
        QCOMPARE(c->state(), BreakerState::Closed);
        calls(*c, 10, Outcome::Success); // the four failures slide out one by one
        QCOMPARE(c->snapshot(rig.clock.now()).window, (WindowTotals{10, 0, 0}));
        calls(*c, 4, Outcome::Failure);
        QCOMPARE(c->state(), BreakerState::Closed);
        call(*c, Outcome::Failure);
        QCOMPARE(c->state(), BreakerState::Open);
    }

    void timeWindowJudgesTheLastSeconds()
    {
        Rig rig;
        BreakerPolicy p = countPolicy();
        p.windowType = WindowType::Time;
        p.windowSize = 10;
        p.minimumCalls = 4;
        auto b = rig.add(p);
        calls(*b, 3, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10)); // those three have left the window
        call(*b, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{1, 1, 0}));
        rig.clock.advance(std::chrono::seconds(9));
        calls(*b, 2, Outcome::Success);
        QCOMPARE(b->state(), BreakerState::Closed);
        call(*b, Outcome::Failure); // 2 failures of 4 within 10 s
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(lastCause(rig), std::string("failure rate 50% ≥ 50% over 4 calls"));
    }

    void slowCallRateAtThresholdTrips()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(10, 10, 50.0);
        p.slowCallRateThreshold = 60.0;
        p.slowCallDuration = ms(200);
        auto b = rig.add(p);
        calls(*b, 4, Outcome::Success, ms(200)); // not slower than 200 ms
        calls(*b, 5, Outcome::Success, ms(201));
        QCOMPARE(b->state(), BreakerState::Closed);
        call(*b, Outcome::Success, ms(201));
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(lastCause(rig), std::string("slow-call rate 60% ≥ 60% over 10 calls slower than 200 ms"));
    }

    void slowCallRateOneBelowDoesNotTrip()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(10, 10, 50.0);
        p.slowCallRateThreshold = 60.0;
        p.slowCallDuration = ms(200);
        auto b = rig.add(p);
        calls(*b, 5, Outcome::Success, ms(10));
        calls(*b, 5, Outcome::Success, ms(500));
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).slowCallRate, 50.0);
        QCOMPARE(b->snapshot(rig.clock.now()).totals.slow, 5u);
    }

    void slowCallsWithoutARuleAreCountedButNeverTrip()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(10, 10, 50.0);
        p.slowCallDuration = ms(100);
        auto b = rig.add(p);
        calls(*b, 20, Outcome::Success, ms(5000));
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).slowCallRate, 100.0);
    }

    void consecutiveFailuresTripRegardlessOfMinimumCalls()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(100, 100, 50.0);
        p.consecutiveFailures = 3;
        auto b = rig.add(p);
        calls(*b, 2, Outcome::Failure);
        call(*b, Outcome::Success); // breaks the run
        calls(*b, 2, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).consecutiveFailures, 2u);
        call(*b, Outcome::Timeout);
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(lastCause(rig), std::string("3 consecutive failures ≥ 3"));
    }

    void theRunOfFailuresStartsAgainAfterClosing()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(100, 100, 50.0);
        p.consecutiveFailures = 3;
        p.halfOpenSuccessThreshold = 1;
        auto b = rig.add(p);
        calls(*b, 3, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        call(*b, Outcome::Success);
        QCOMPARE(b->state(), BreakerState::Closed);
        calls(*b, 2, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
    }

    void backoffGrowsAndStopsAtTheCap()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(10, 10, 50.0);
        p.waitDuration = std::chrono::seconds(10);
        p.backoffMultiplier = 2.0;
        p.maxWait = std::chrono::seconds(35);
        auto b = rig.add(p);
        const auto waits = waitsOfSuccessiveOpens(rig, *b, 5);
        const std::vector<Duration> expected = {std::chrono::seconds(10), std::chrono::seconds(20),
                                                std::chrono::seconds(35), std::chrono::seconds(35),
                                                std::chrono::seconds(35)};
        QCOMPARE(waits, expected);
        QCOMPARE(b->snapshot(rig.clock.now()).opensSinceClosed, 5u);
        QCOMPARE(b->snapshot(rig.clock.now()).lastCause.toString(),
                 std::string("wait of 35000 ms elapsed after open #5"));
    }

    void backoffStartsOverAfterClosing()
    {
        Rig rig;
        BreakerPolicy p = countPolicy(10, 10, 50.0);
        p.backoffMultiplier = 3.0;
        p.halfOpenSuccessThreshold = 1;
        auto b = rig.add(p);
        waitsOfSuccessiveOpens(rig, *b, 2); // 10 s, then 30 s; now HALF_OPEN
        call(*b, Outcome::Success);
        QCOMPARE(b->state(), BreakerState::Closed);
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(b->snapshot(rig.clock.now()).nextTrialIn, std::optional<Duration>(std::chrono::seconds(10)));
    }

    void jitterStaysWithinItsFractionAndIsRepeatable()
    {
        BreakerPolicy p = countPolicy(10, 10, 50.0);
        p.waitDuration = std::chrono::seconds(10);
        p.jitter = 0.2;
        auto run = [&p](std::uint64_t seed) {
            ManualClock clock;
            Engine engine(clock, clock, EngineOptions{seed});
            auto b = engine.addBreaker("svc", p);
            std::vector<Duration> waits;
            calls(*b, 10, Outcome::Failure);
            for (int i = 0; i < 20; ++i) {
                const Duration wait = *b->snapshot(clock.now()).nextTrialIn;
                waits.push_back(wait);
                clock.advance(wait);
                call(*b, Outcome::Failure);
            }
            return waits;
        };
        const auto first = run(7);
        for (Duration w : first) {
            QVERIFY2(w >= std::chrono::seconds(8) && w <= std::chrono::seconds(12), "wait outside 10 s ± 20%");
        }
        QVERIFY(std::adjacent_find(first.begin(), first.end(), std::not_equal_to<>()) != first.end());
        QCOMPARE(run(7), first);
        QVERIFY(run(8) != first);
    }

    void tripEventCarriesTheWindowAtThatMoment()
    {
        Rig rig;
        auto b = rig.add(countPolicy(4, 4, 50.0));
        call(*b, Outcome::Success);
        call(*b, Outcome::Failure);
        call(*b, Outcome::Success, ms(9000));
        call(*b, Outcome::Failure);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        const WindowContents &w = events[0].window;
        QCOMPARE(w.type, WindowType::Count);
        const std::vector<WindowCall> expected = {{false, false}, {true, false}, {false, true}, {true, false}};
        QCOMPARE(w.calls, expected);
        QCOMPARE(w.totals, (WindowTotals{4, 2, 1}));
        QCOMPARE(Cause::parse(events[0].cause.toString()), std::optional<Cause>(events[0].cause));
    }
};

QTEST_APPLESS_MAIN(TestBreakerRules)
#include "tst_breakerrules.moc"
