// The engine as readers see it: snapshots of every breaker and group, and
// transition events in the order they happened.
#include "coretesting.h"

using namespace bb;
using namespace bb::testing;

class TestEngine : public QObject {
    Q_OBJECT
private slots:
    void snapshotDescribesEveryBreakerAndGroup()
    {
        Rig rig;
        auto a = rig.add(countPolicy(10, 10, 50.0), "a");
        auto b = rig.add(countPolicy(10, 10, 50.0), "b");
        rig.engine.addGroup("ab", {"a", "b"}, 50.0);
        calls(*a, 3, Outcome::Success, ms(10));
        calls(*a, 1, Outcome::Timeout, ms(5001)); // slower than the default 5 s
        calls(*a, 2, Outcome::Ignored);
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(4));
        calls(*b, 2, Outcome::Success);

        const EngineSnapshot s = rig.engine.snapshot();
        QCOMPARE(s.at, rig.clock.now());
        QCOMPARE(s.breakers.size(), std::size_t(2));
        const BreakerSnapshot &sa = *s.breaker("a");
        QCOMPARE(sa.state, BreakerState::Closed);
        QCOMPARE(sa.window, (WindowTotals{4, 1, 1}));
        QCOMPARE(sa.failureRate, 25.0);
        QCOMPARE(sa.totals.successes, 3u);
        QCOMPARE(sa.totals.failures, 1u);
        QCOMPARE(sa.totals.timeouts, 1u);
        QCOMPARE(sa.totals.ignored, 2u);
        QCOMPARE(sa.groups, std::vector<std::string>{"ab"});

        const BreakerSnapshot &sb = *s.breaker("b");
        QCOMPARE(sb.state, BreakerState::Open);
        QCOMPARE(sb.timeInState, std::chrono::seconds(4));
        QCOMPARE(sb.nextTrialIn, std::optional<Duration>(std::chrono::seconds(6)));
        QCOMPARE(sb.totals.rejected[std::size_t(RejectReason::BreakerOpen)], 2u);
        QCOMPARE(sb.totals.rejectedTotal(), 2u);
        QCOMPARE(sb.lastCause.kind, CauseKind::FailureRate);
        QCOMPARE(sb.opensSinceClosed, 1u);

        const GroupSnapshot &g = *s.group("ab");
        QCOMPARE(g.state, BreakerState::Closed);
        QCOMPARE(g.membersOpen, 1u);
        QCOMPARE(g.members, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(g.threshold, 50.0);
    }

    void snapshotsAreValuesThatDoNotChangeAfterwards()
    {
        Rig rig;
        auto a = rig.add(countPolicy(), "a");
        const EngineSnapshot before = rig.engine.snapshot();
        calls(*a, 10, Outcome::Failure);
        QCOMPARE(before.breaker("a")->state, BreakerState::Closed);
        QCOMPARE(before.breaker("a")->window.calls, 0u);
        QCOMPARE(rig.engine.snapshot().breaker("a")->state, BreakerState::Open);
    }

    void eventsArriveInOrderWithTimesAndGenerations()
    {
        Rig rig;
        auto a = rig.add(countPolicy(), "a");
        calls(*a, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        calls(*a, 2, Outcome::Success);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(3));
        const std::vector<std::pair<BreakerState, BreakerState>> expected = {
            {BreakerState::Closed, BreakerState::Open},
            {BreakerState::Open, BreakerState::HalfOpen},
            {BreakerState::HalfOpen, BreakerState::Closed}};
        for (std::size_t i = 0; i < events.size(); ++i) {
            QCOMPARE(std::make_pair(events[i].from, events[i].to), expected[i]);
            QCOMPARE(events[i].generation, std::uint64_t(i + 2));
            if (i > 0)
                QVERIFY(events[i].sequence > events[i - 1].sequence);
        }
        QCOMPARE(events[0].describe(), std::string("a closed → open: failure rate 100% ≥ 50% over 10 calls"));
        QCOMPARE(events[2].cause.toString(), std::string("2 trial successes ≥ 2"));
        QCOMPARE(events[0].wallMs, rig.clock.wallMs(events[0].at));
        QVERIFY(rig.engine.drainEvents().empty());
    }

    void lookupsFindWhatWasAdded()
    {
        Rig rig;
        rig.add(countPolicy(), "a");
        QVERIFY(rig.engine.breaker("a") != nullptr);
        QVERIFY(rig.engine.breaker("b") == nullptr);
        QVERIFY(rig.engine.group("g") == nullptr);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rig.engine.addBreaker("", countPolicy()));
    }
};

QTEST_APPLESS_MAIN(TestEngine)
#include "tst_engine.moc"
