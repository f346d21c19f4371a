// Breakers that follow a cluster: another instance's open and close taken
// as this breaker's own steps, and half-open trials held for the fleet's grant.
#include "coretesting.h"

#include <atomic>
#include <functional>
#include <thread>

using namespace bb;
using namespace bb::testing;

namespace {

Cause theirTrip()
{
    Cause c;
    c.kind = CauseKind::FailureRate;
    c.rate = 62.5, c.threshold = 50, c.calls = 16;
    return c;
}

Cause theirRecovery()
{
    Cause c;
    c.kind = CauseKind::TrialSuccesses;
    c.count = 2, c.limit = 2;
    return c;
}

// Trips the breaker by its own rule and lets the policy's 10 s wait elapse.
void tripAndWait(Rig &rig, CircuitBreaker &b)
{
    calls(b, 10, Outcome::Failure);
    rig.clock.advance(seconds(10));
}

std::uint64_t rejected(const BreakerSnapshot &s, RejectReason r) { return s.totals.rejected[std::size_t(r)]; }
} // namespace

class TestFollow : public QObject {
    Q_OBJECT
private slots:
    void followOpenFromClosedWaitsTheRemainingWaitGiven()
    {
        Rig rig;
        auto b = rig.add(countPolicy()); // its own wait would be 10 s
        const TimePoint openedAt = rig.clock.now();
        QVERIFY(b->followOpen("payments-2", theirTrip(), seconds(3)));

        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Open);
        QCOMPARE(s.nextTrialIn, std::optional<Duration>(seconds(3)));
        QCOMPARE(b->status(rig.clock.now()).nextTrialIn, std::optional<Duration>(seconds(3)));
        QCOMPARE(s.opensSinceClosed, 1u);
        QCOMPARE(s.lastCause.kind, CauseKind::Shared);
        QCOMPARE(s.lastCause.actor, std::string("payments-2"));
        QCOMPARE(s.lastCause.waitMs, std::int64_t(3000));
        QCOMPARE(s.lastCause.toString(),
                 std::string("on \"payments-2\" with a wait of 3000 ms: failure rate 62.5% ≥ 50% over 16 calls"));
        QCOMPARE(Cause::parse(s.lastCause.reason), std::optional<Cause>(theirTrip()));
        QVERIFY(!b->tryAcquire());

        const auto wall = rig.engine.snapshot().breaker("svc")->wall;
        QCOMPARE(wall.nextTrialMs, std::optional<std::int64_t>(rig.clock.wallMs(openedAt + seconds(3))));
        auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].from, BreakerState::Closed);
        QCOMPARE(events[0].to, BreakerState::Open);
        QCOMPARE(events[0].cause, s.lastCause);
        QCOMPARE(events[0].wallMs, rig.clock.wallMs(openedAt));

        rig.clock.advance(seconds(3) - Duration(1));
        QCOMPARE(b->state(), BreakerState::Open);
        rig.clock.advance(Duration(1));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].at, openedAt + seconds(3));
        QCOMPARE(events[0].cause.toString(), std::string("wait of 3000 ms elapsed after open #1"));
    }

    void aWaitAlreadyOverStillOpensForOneMillisecond()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        QVERIFY(b->followOpen("eu-1", theirTrip(), -seconds(1)));
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Open);
        QCOMPARE(s.nextTrialIn, std::optional<Duration>(ms(1)));
        QCOMPARE(s.lastCause.waitMs, std::int64_t(1));
        rig.clock.advance(ms(1));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
    }

    void followOpenLeavesForcedDisabledAndOpenBreakersAlone()
    {
        for (auto action : {OperatorAction::ForceOpen, OperatorAction::ForceClosed, OperatorAction::Disable}) {
            Rig rig;
            auto b = rig.add(countPolicy());
            b->apply(command(action));
            const auto before = b->snapshot(rig.clock.now());
            rig.engine.drainEvents();
            QVERIFY(!b->followOpen("eu-1", theirTrip(), seconds(3)));
            QVERIFY(!b->followClose("eu-1", theirRecovery()));
            const auto after = b->snapshot(rig.clock.now());
            QCOMPARE(after.state, before.state);
            QCOMPARE(after.generation, before.generation);
            QCOMPARE(after.lastCause.kind, CauseKind::Operator);
            QVERIFY(rig.engine.drainEvents().empty());
        }

        Rig rig;
        auto b = rig.add(countPolicy());
        calls(*b, 10, Outcome::Failure);
        rig.engine.drainEvents();
        QVERIFY(!b->followOpen("eu-1", theirTrip(), seconds(3)));
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Open);
        QCOMPARE(s.nextTrialIn, std::optional<Duration>(seconds(10))); // its own wait stands
        QCOMPARE(s.lastCause.kind, CauseKind::FailureRate);
        QCOMPARE(s.opensSinceClosed, 1u);
        QVERIFY(rig.engine.drainEvents().empty());
    }

    void followOpenDuringHalfOpenReopensAndCountsAsAnotherOpen()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        tripAndWait(rig, *b);
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QVERIFY(b->followOpen("eu-1", theirTrip(), seconds(2)));
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::Open);
        QCOMPARE(s.nextTrialIn, std::optional<Duration>(seconds(2)));
        QCOMPARE(s.opensSinceClosed, 2u);
        QCOMPARE(s.transitions[std::size_t(BreakerState::HalfOpen)][std::size_t(BreakerState::Open)], 1u);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.back().from, BreakerState::HalfOpen);
        QCOMPARE(events.back().cause.kind, CauseKind::Shared);
    }

    void followCloseFromOpenAndHalfOpenStartsAFreshWindow()
    {
        for (bool halfOpen : {false, true}) {
            Rig rig;
            auto b = rig.add(countPolicy());
            calls(*b, 10, Outcome::Failure);
            if (halfOpen)
                rig.clock.advance(seconds(10));
            const BreakerState from = halfOpen ? BreakerState::HalfOpen : BreakerState::Open;
            QCOMPARE(b->state(), from);
            rig.engine.drainEvents();

            QVERIFY(b->followClose("eu-1", theirRecovery()));
            const auto s = b->snapshot(rig.clock.now());
            QCOMPARE(s.state, BreakerState::Closed);
            QCOMPARE(s.window, (WindowTotals{0, 0, 0}));
            QCOMPARE(s.opensSinceClosed, 0u);
            QCOMPARE(s.nextTrialIn, std::optional<Duration>());
            QCOMPARE(s.lastCause.toString(), std::string("on \"eu-1\": 2 trial successes ≥ 2"));
            const auto events = rig.engine.drainEvents();
            QCOMPARE(events.size(), std::size_t(1));
            QCOMPARE(events[0].from, from);
            QCOMPARE(events[0].to, BreakerState::Closed);
            QCOMPARE(calls(*b, 3, Outcome::Success), 3);
            QVERIFY(!b->followClose("eu-1", theirRecovery())); // already CLOSED
        }
    }

    void permitsAdmittedBeforeAFollowedStepAreNotJudgedAfterIt()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        const Permit closedCall = b->tryAcquire();
        QVERIFY(b->followOpen("eu-1", theirTrip(), seconds(1)));
        rig.clock.advance(seconds(1));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        b->record(closedCall, Outcome::Failure, ms(1)); // would fail the trial
        QCOMPARE(b->state(), BreakerState::HalfOpen);

        const Permit trial = b->tryAcquire();
        QVERIFY(bool(trial));
        QVERIFY(b->followClose("eu-1", theirRecovery()));
        b->record(trial, Outcome::Failure, ms(1));
        compareClosedWithLateFailures(b->snapshot(rig.clock.now()), 2);
    }

    void followedStepsMoveTheirGroups()
    {
        Rig rig;
        auto a = rig.add(countPolicy(), "a");
        auto b = rig.add(countPolicy(), "b");
        auto group = rig.engine.addGroup("pair", {"a", "b"}, 40.0);
        QVERIFY(a->followOpen("eu-1", theirTrip(), seconds(5)));
        QCOMPARE(group->state(), BreakerState::Open);
        QCOMPARE(b->tryAcquire().rejectReason(), RejectReason::GroupOpen);
        QVERIFY(a->followClose("eu-1", theirRecovery()));
        QCOMPARE(group->state(), BreakerState::Closed);
        QVERIFY(bool(b->tryAcquire()));
    }

    void heldTrialsAdmitNothingUntilGrantedThenExactlyThePermits()
    {
        Rig rig;
        auto b = rig.add(countPolicy()); // 3 permitted trial calls, 2 successes close
        b->holdTrials(true);
        tripAndWait(rig, *b);
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        const auto events = rig.engine.drainEvents();
        const std::uint64_t halfOpen = events.back().generation;
        QCOMPARE(events.back().to, BreakerState::HalfOpen);

        QCOMPARE(calls(*b, 5, Outcome::Success), 0);
        auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::HalfOpen);
        QVERIFY(s.trialsHeld);
        QCOMPARE(s.halfOpenPermitsLeft, 0u);
        QCOMPARE(s.halfOpenPermitsUsed, 0u);
        QCOMPARE(rejected(s, RejectReason::HalfOpenFull), 5u);
        QCOMPARE(b->tryAcquire().rejectReason(), RejectReason::HalfOpenFull);

        QVERIFY(b->grantTrials(halfOpen));
        s = b->snapshot(rig.clock.now());
        QVERIFY(!s.trialsHeld);
        QCOMPARE(s.halfOpenPermitsLeft, 3u);
        std::vector<Permit> trials;
        for (int i = 0; i < 4; ++i)
            trials.push_back(b->tryAcquire());
        QVERIFY(trials[0] && trials[1] && trials[2]);
        QCOMPARE(trials[3].rejectReason(), RejectReason::HalfOpenFull);
        QVERIFY(b->grantTrials(halfOpen)); // granting twice gives no more
        QVERIFY(!b->tryAcquire());
        b->record(trials[0], Outcome::Success, ms(1));
        b->record(trials[1], Outcome::Success, ms(1));
        QCOMPARE(b->state(), BreakerState::Closed);
        QVERIFY(!b->grantTrials(halfOpen)); // not HALF_OPEN any more
    }

    void aGrantForAnEarlierHalfOpenDoesNothing()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        b->holdTrials(true);
        tripAndWait(rig, *b);
        const std::uint64_t first = b->generation();
        QVERIFY(b->followOpen("eu-1", theirTrip(), seconds(1)));
        QVERIFY(!b->grantTrials(first)); // OPEN now
        rig.clock.advance(seconds(1));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        const std::uint64_t second = b->generation();
        QVERIFY(second > first);

        QVERIFY(!b->grantTrials(first));
        QVERIFY(!b->grantTrials(second + 1));
        QVERIFY(b->snapshot(rig.clock.now()).trialsHeld);
        QCOMPARE(b->tryAcquire().rejectReason(), RejectReason::HalfOpenFull);
        QVERIFY(b->grantTrials(second));
        QVERIFY(bool(b->tryAcquire()));
    }

    void anEditDuringAHeldHalfOpenKeepsItHeldAndItsGrant()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        b->holdTrials(true);
        tripAndWait(rig, *b);
        const std::uint64_t entered = rig.engine.drainEvents().back().generation;
        const PolicyUpdate edit = b->updatePolicy(countPolicy(), WindowEdit::Reset);
        QVERIFY(edit.generation > entered);
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QCOMPARE(b->tryAcquire().rejectReason(), RejectReason::HalfOpenFull);
        QVERIFY(b->grantTrials(entered)); // the grant the glue asked for with the event's generation
        QCOMPARE(calls(*b, 2, Outcome::Success), 2); // two trial successes close it
        QCOMPARE(b->state(), BreakerState::Closed);
    }

    void withoutHoldHalfOpenAdmitsItsPermitsAtOnce()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        tripAndWait(rig, *b);
        auto s = b->snapshot(rig.clock.now());
        QVERIFY(!s.trialsHeld);
        QCOMPARE(s.halfOpenPermitsLeft, 3u);
        QVERIFY(b->grantTrials(b->generation())); // a grant changes nothing
        std::vector<Permit> trials;
        for (int i = 0; i < 4; ++i)
            trials.push_back(b->tryAcquire());
        QVERIFY(trials[0] && trials[1] && trials[2]);
        QCOMPARE(trials[3].rejectReason(), RejectReason::HalfOpenFull);
    }

    void releasingTheHoldGrantsAWaitingHalfOpen()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        b->holdTrials(true);
        tripAndWait(rig, *b);
        QVERIFY(!b->tryAcquire());
        b->holdTrials(false); // the fleet is unreachable: trials are local again
        QCOMPARE(calls(*b, 4, Outcome::Failure), 1); // the first trial fails and reopens
        QCOMPARE(b->state(), BreakerState::Open);
        rig.clock.advance(seconds(20));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QVERIFY(!b->snapshot(rig.clock.now()).trialsHeld);
    }

    // Calls on other threads: none admitted while held; racing the grant,
    // exactly the policy's permits, every other call rejected as trials full.
    void aGrantRacingCallsAdmitsExactlyThePermits()
    {
        Rig rig;
        BreakerPolicy policy = countPolicy();
        policy.halfOpenPermittedCalls = policy.halfOpenSuccessThreshold = 50;
        auto b = rig.add(policy);
        b->holdTrials(true);
        tripAndWait(rig, *b);
        std::atomic<int> admitted{0};
        const auto callFromThreads = [&](const std::function<void()> &meanwhile) {
            std::vector<std::thread> workers;
            for (int t = 0; t < 4; ++t) {
                workers.emplace_back([&] {
                    for (int i = 0; i < 5000; ++i)
                        admitted.fetch_add(b->tryAcquire() ? 1 : 0);
                });
            }
            meanwhile();
            for (auto &w : workers)
                w.join();
        };
        callFromThreads([] {});
        QCOMPARE(admitted.load(), 0);
        bool granted = false;
        callFromThreads([&] { granted = b->grantTrials(b->generation()); });
        QVERIFY(granted);
        QCOMPARE(admitted.load(), 50);
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.state, BreakerState::HalfOpen);
        QCOMPARE(s.halfOpenPermitsUsed, 50u);
        QCOMPARE(rejected(s, RejectReason::HalfOpenFull), std::uint64_t(2 * 4 * 5000 - 50));
    }

    void anOperatorsHalfOpenIsNotHeld()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        b->holdTrials(true);
        calls(*b, 10, Outcome::Failure);
        b->apply(command(OperatorAction::HalfOpen));
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        QVERIFY(!b->snapshot(rig.clock.now()).trialsHeld);
        QVERIFY(bool(b->tryAcquire()));
    }
};

QTEST_APPLESS_MAIN(TestFollow)
#include "tst_follow.moc"
