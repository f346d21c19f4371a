// Every row of DESIGN.md's state table: what each state admits, what it
// records, and how it is left. Also generations and half-open permits.
#include "coretesting.h"

using namespace bb;
using namespace bb::testing;

class TestBreakerStates : public QObject {
    Q_OBJECT
private slots:
    void closedAdmitsAllAndRecordsIntoTheWindow()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        QCOMPARE(calls(*b, 4, Outcome::Success), 4);
        QCOMPARE(calls(*b, 4, Outcome::Failure), 4);
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Closed);
        QCOMPARE(s.window, (WindowTotals{8, 4, 0}));
        QCOMPARE(s.failureRate, 50.0);
        QCOMPARE(s.totals.successes, 4u);
        QCOMPARE(s.totals.failures, 4u);
    }

    void closedTripsToOpenAndOpenRejectsEverything()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 5, Outcome::Success);
        calls(*b, 5, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open);
        const auto before = b->snapshot(rig.clock.now());

        const Permit p = b->tryAcquire();
        QVERIFY(!p);
        QCOMPARE(p.rejectReason(), RejectReason::BreakerOpen);
        QCOMPARE(calls(*b, 9, Outcome::Success), 0);

        // OPEN records rejections only: the window and the outcome totals stand still.
        const auto after = b->snapshot(rig.clock.now());
        QCOMPARE(after.window, before.window);
        QCOMPARE(after.totals.successes, before.totals.successes);
        QCOMPARE(after.totals.rejected[std::size_t(RejectReason::BreakerOpen)], 10u);
        QCOMPARE(after.nextTrialIn, std::optional<Duration>(std::chrono::seconds(10)));
    }

    void openMovesToHalfOpenByTimerAtExactlyOpenedAtPlusWait()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open);
        const TimePoint openedAt = rig.clock.now();
        rig.engine.drainEvents();

        rig.clock.advance(std::chrono::seconds(10) - Duration(1));
        QCOMPARE(b->state(), BreakerState::Open);
        rig.clock.advance(Duration(1)); // no traffic at all: the timer does it
        QCOMPARE(b->state(), BreakerState::HalfOpen);

        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].from, BreakerState::Open);
        QCOMPARE(events[0].to, BreakerState::HalfOpen);
        QCOMPARE(events[0].at, openedAt + std::chrono::seconds(10));
        QCOMPARE(events[0].cause.kind, CauseKind::WaitElapsed);
        QCOMPARE(events[0].cause.toString(), std::string("wait of 10000 ms elapsed after open #1"));
    }

    void aCallPastTheWaitFindsHalfOpenEvenBeforeTheTimerRuns()
    {
        // Timers go to a source that never fires: only the call can notice.
        ManualClock clock(TimePoint(std::chrono::seconds(50)));
        ManualClock stuckTimers;
        Engine engine(clock, stuckTimers);
        auto b = engine.addBreaker("svc", countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        const TimePoint openedAt = clock.now();
        engine.drainEvents();

        clock.advance(std::chrono::seconds(25));
        QCOMPARE(b->state(), BreakerState::Open);
        QVERIFY(bool(b->tryAcquire()));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        const auto events = engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].at, openedAt + std::chrono::seconds(10)); // not the time of the call
    }

    void halfOpenAdmitsOnlyItsPermits()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        QCOMPARE(b->state(), BreakerState::HalfOpen);

        std::vector<Permit> permits;
        int rejected = 0;
        for (int i = 0; i < 5; ++i) { // five callers, three permits
            Permit p = b->tryAcquire();
            if (p)
                permits.push_back(p);
            else {
                QCOMPARE(p.rejectReason(), RejectReason::HalfOpenFull);
                ++rejected;
            }
        }
        QCOMPARE(permits.size(), std::size_t(3));
        QCOMPARE(rejected, 2);
        auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.halfOpenPermitsUsed, 3u);
        QCOMPARE(s.halfOpenPermitsLeft, 0u);

        b->record(permits[0], Outcome::Success, ms(5));
        s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::HalfOpen);
        QCOMPARE(s.halfOpenSuccesses, 1u);
        // The success threshold is two: the second success closes.
        b->record(permits[1], Outcome::Success, ms(5));
        QCOMPARE(b->state(), BreakerState::Closed);
        // The third trial finishes in a newer generation: counted, not judged.
        b->record(permits[2], Outcome::Failure, ms(5));
        s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Closed);
        QCOMPARE(s.window, (WindowTotals{0, 0, 0})); // CLOSED starts with an empty window
        QCOMPARE(s.totals.stale, 1u);
    }

    void anyTrialFailureReopens()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        QVERIFY(call(*b, Outcome::Success));
        rig.engine.drainEvents();
        QVERIFY(call(*b, Outcome::Timeout));
        QCOMPARE(b->state(), BreakerState::Open);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].cause.toString(), std::string("trial call failed with 2 of 3 permits used"));
    }

    void slowTrialReopensOnlyWhenASlowRuleIsSet()
    {
        Rig rig;
        BreakerPolicy withRule = countPolicy(10, 10, 50.0);
        withRule.slowCallDuration = ms(100);
        withRule.slowCallRateThreshold = 80.0;
        BreakerPolicy withoutRule = withRule;
        withoutRule.slowCallRateThreshold.reset();
        auto a = rig.add(withRule, "a");
        auto b = rig.add(withoutRule, "b");
        calls(*a, 10, Outcome::Failure);
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        QVERIFY(call(*a, Outcome::Success, ms(101)));
        QVERIFY(call(*b, Outcome::Success, ms(101)));
        QCOMPARE(a->state(), BreakerState::Open);
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QCOMPARE(a->snapshot(rig.clock.now()).lastCause.toString(), std::string("trial call slower than 100 ms"));
    }

    void ignoredTrialGivesItsPermitBack()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        for (int i = 0; i < 10; ++i)
            QVERIFY(call(*b, Outcome::Ignored));
        QCOMPARE(b->snapshot(rig.clock.now()).halfOpenPermitsUsed, 0u);
        QCOMPARE(b->snapshot(rig.clock.now()).totals.ignored, 10u);
        const Permit unused = b->tryAcquire();
        b->release(unused);
        QCOMPARE(b->snapshot(rig.clock.now()).halfOpenPermitsLeft, 3u);
    }

    void forcedOpenRejectsAndExpiresToAnEmptyClosed()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 4, Outcome::Failure);
        QVERIFY(b->apply(command(OperatorAction::ForceOpen, std::chrono::seconds(60))).empty());
        QCOMPARE(b->state(), BreakerState::ForcedOpen);
        const Permit p = b->tryAcquire();
        QCOMPARE(p.rejectReason(), RejectReason::ForcedOpen);
        QCOMPARE(b->snapshot(rig.clock.now()).expiresIn, std::optional<Duration>(std::chrono::seconds(60)));
        rig.engine.drainEvents();

        rig.clock.advance(std::chrono::seconds(60));
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{0, 0, 0}));
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].cause.toString(), std::string("expiry of force_open by \"alice\" for 60 s"));
    }

    void forcedOpenIgnoresTheWaitTimer()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure); // OPEN, a timer is pending for +10 s
        QVERIFY(b->apply(command(OperatorAction::ForceOpen)).empty());
        rig.clock.advance(std::chrono::seconds(3600));
        QCOMPARE(b->state(), BreakerState::ForcedOpen);
    }

    void forcedClosedRecordsLiveNeverTripsAndExpiryKeepsTheWindow()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        QVERIFY(b->apply(command(OperatorAction::ForceClosed, std::chrono::seconds(30))).empty());
        QCOMPARE(calls(*b, 10, Outcome::Failure), 10);
        auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::ForcedClosed);
        QCOMPARE(s.window, (WindowTotals{10, 10, 0}));
        QCOMPARE(s.failureRate, 100.0);

        rig.clock.advance(std::chrono::seconds(30));
        s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Closed);
        QCOMPARE(s.window, (WindowTotals{10, 10, 0}));
        // The kept window judges the next call.
        QVERIFY(call(*b, Outcome::Failure));
        QCOMPARE(b->state(), BreakerState::Open);
    }

    void operatorResetFromForcedClosedEmptiesTheWindow()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        b->apply(command(OperatorAction::ForceClosed));
        calls(*b, 6, Outcome::Failure);
        b->apply(command(OperatorAction::Reset));
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{0, 0, 0}));
    }

    void disabledAdmitsAllRecordsNothingAndExpiresToAnEmptyClosed()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 3, Outcome::Failure);
        QVERIFY(b->apply(command(OperatorAction::Disable, std::chrono::seconds(5))).empty());
        QCOMPARE(calls(*b, 50, Outcome::Failure), 50);
        auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Disabled);
        QCOMPARE(s.window, (WindowTotals{3, 3, 0}));
        QCOMPARE(s.totals.failures, 53u); // counted in totals, never judged
        rig.clock.advance(std::chrono::seconds(5));
        s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Closed);
        QCOMPARE(s.window, (WindowTotals{0, 0, 0}));
    }

    void operatorCanMoveToHalfOpenOrResetAtAnyTime()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        QVERIFY(b->apply(command(OperatorAction::HalfOpen)).empty());
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QCOMPARE(b->snapshot(rig.clock.now()).halfOpenPermitsLeft, 3u);
        QVERIFY(b->apply(command(OperatorAction::Reset)).empty());
        QCOMPARE(b->state(), BreakerState::Closed);
        // The wait timer of the earlier OPEN does nothing now.
        rig.clock.advance(std::chrono::seconds(20));
        QCOMPARE(b->state(), BreakerState::Closed);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.back().cause.toString(), std::string("operator \"alice\" reset: \"testing\""));
        QCOMPARE(events.back().cause.actor, std::string("alice"));
    }

    void expiryOfAnOlderCommandDoesNotEndANewerOne()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        b->apply(command(OperatorAction::ForceOpen, std::chrono::seconds(10)));
        b->apply(command(OperatorAction::ForceOpen, std::chrono::seconds(100)));
        rig.clock.advance(std::chrono::seconds(10));
        QCOMPARE(b->state(), BreakerState::ForcedOpen);
        rig.clock.advance(std::chrono::seconds(90));
        QCOMPARE(b->state(), BreakerState::Closed);
    }

    void outcomesOfAnOlderGenerationNeverDecideTheNewState()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        // Ten calls start while CLOSED; the breaker is forced open and reset
        // before they finish, all as failures.
        std::vector<Permit> inFlight;
        for (int i = 0; i < 10; ++i)
            inFlight.push_back(b->tryAcquire());
        b->apply(command(OperatorAction::ForceOpen));
        b->apply(command(OperatorAction::Reset));
        for (const auto &p : inFlight)
            b->record(p, Outcome::Failure, ms(1));
        compareClosedWithLateFailures(b->snapshot(rig.clock.now()), 10);
    }

    void trialsOfAnEarlierHalfOpenDoNotCountInTheNext()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        const Permit early = b->tryAcquire();
        QVERIFY(call(*b, Outcome::Failure)); // back to OPEN
        rig.clock.advance(std::chrono::seconds(10));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QVERIFY(call(*b, Outcome::Success));
        b->record(early, Outcome::Success, ms(1)); // would be the second success
        auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::HalfOpen);
        QCOMPARE(s.halfOpenSuccesses, 1u);
    }

    void eachOperatorCommandIsAnEventWithActorAndReason()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        b->apply({OperatorAction::ForceOpen, "bob", "db \"migration\"", std::chrono::seconds(120)});
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].subject, std::string("svc"));
        QCOMPARE(events[0].to, BreakerState::ForcedOpen);
        QCOMPARE(events[0].cause.toString(),
                 std::string("operator \"bob\" force_open: \"db \\\"migration\\\"\" for 120 s"));
        QCOMPARE(Cause::parse(events[0].cause.toString()), std::optional<Cause>(events[0].cause));
    }
};

QTEST_APPLESS_MAIN(TestBreakerStates)
#include "tst_breakerstates.moc"
