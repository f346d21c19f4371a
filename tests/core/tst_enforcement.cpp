// Enforcement below 100%: the breaker decides every state as when enforcing,
// rejects only its share of the calls it would reject, chosen by their order,
// and lets the rest through, counted as would_reject and never judged.
#include "coretesting.h"

using namespace bb;
using namespace bb::testing;

namespace {
BreakerPolicy enforcing(double percent)
{
    BreakerPolicy p = countPolicy();
    p.enforcement = percent;
    return p;
}

// Which of n calls were admitted, as a string of 'a' (admitted) and 'r'.
std::string admissions(CircuitBreaker &b, int n, Outcome outcome)
{
    std::string out;
    for (int i = 0; i < n; ++i)
        out += call(b, outcome) ? 'a' : 'r';
    return out;
}
} // namespace

class TestEnforcement : public QObject {
    Q_OBJECT
private slots:
    void monitorOnlyLetsEveryCallThroughAndStillOpensAndRecoversOnTime()
    {
        Rig rig;
        auto b = rig.add(enforcing(0));
        QCOMPARE(calls(*b, 10, Outcome::Failure), 10);
        QCOMPARE(b->state(), BreakerState::Open);

        // Open: every call goes through, and none of them decides anything.
        QCOMPARE(calls(*b, 7, Outcome::Failure), 7);
        QCOMPARE(calls(*b, 5, Outcome::Success), 5);
        QCOMPARE(b->state(), BreakerState::Open);
        rig.clock.advance(std::chrono::seconds(10) - ms(1));
        QCOMPARE(b->state(), BreakerState::Open);
        rig.clock.advance(ms(1));
        QCOMPARE(b->state(), BreakerState::HalfOpen);

        // Half-open: three trials, and beyond them calls let through whose
        // failures do not reopen the breaker.
        const Permit t1 = b->tryAcquire();
        const Permit t2 = b->tryAcquire();
        const Permit t3 = b->tryAcquire();
        QVERIFY(t1 && t2 && t3);
        QVERIFY(!t1.wouldReject() && !t3.wouldReject());
        const Permit beyond = b->tryAcquire();
        QVERIFY(beyond);
        QVERIFY(beyond.wouldReject());
        QCOMPARE(beyond.rejectReason(), RejectReason::HalfOpenFull);
        b->record(beyond, Outcome::Failure, ms(1));
        b->release(beyond); // gives back no trial
        QCOMPARE(b->state(), BreakerState::HalfOpen);
        b->record(t1, Outcome::Success, ms(1));
        b->record(t2, Outcome::Success, ms(1));
        QCOMPARE(b->state(), BreakerState::Closed);
        b->record(t3, Outcome::Success, ms(1));

        const BreakerSnapshot s = b->snapshot(rig.clock.now());
        QCOMPARE(s.totals.rejectedTotal(), 0u);
        QCOMPARE(s.totals.wouldReject[std::size_t(RejectReason::BreakerOpen)], 12u);
        QCOMPARE(s.totals.wouldReject[std::size_t(RejectReason::HalfOpenFull)], 1u);
        QCOMPARE(s.totals.wouldRejectTotal(), 13u);
        QCOMPARE(s.totals.failures, 10u + 7u + 1u);
        QCOMPARE(s.totals.successes, 5u + 3u);
        QCOMPARE(s.totals.stale, 1u); // t3 finished after the breaker closed
        QCOMPARE(s.window, (WindowTotals{0, 0, 0}));
        QCOMPARE(s.transitions[std::size_t(BreakerState::Closed)][std::size_t(BreakerState::Open)], 1u);
    }

    void halfEnforcedRejectsEverySecondCall()
    {
        Rig rig;
        auto b = rig.add(enforcing(50));
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(admissions(*b, 10, Outcome::Success), std::string("ararararar"));
        QCOMPARE(calls(*b, 90, Outcome::Success), 45);
        const BreakerSnapshot s = b->snapshot(rig.clock.now());
        QCOMPARE(s.totals.rejectedTotal(), 50u);
        QCOMPARE(s.totals.wouldRejectTotal(), 50u);
        QCOMPARE(s.state, BreakerState::Open);
    }

    void theShareIsSpreadEvenlyAndExact_data()
    {
        QTest::addColumn<double>("percent");
        QTest::addColumn<QString>("first8");
        QTest::addColumn<int>("rejectedOf1000");
        QTest::newRow("25%") << 25.0 << "aaaraaar" << 250;
        QTest::newRow("75%") << 75.0 << "arrrarrr" << 750;
        QTest::newRow("10%") << 10.0 << "aaaaaaaa" << 100;
        QTest::newRow("0.5%") << 0.5 << "aaaaaaaa" << 5;
        QTest::newRow("100%") << 100.0 << "rrrrrrrr" << 1000;
    }
    void theShareIsSpreadEvenlyAndExact()
    {
        QFETCH(double, percent);
        QFETCH(QString, first8);
        QFETCH(int, rejectedOf1000);
        Rig rig;
        auto b = rig.add(enforcing(percent));
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(QString::fromStdString(admissions(*b, 8, Outcome::Success)), first8);
        const int admittedAfter = calls(*b, 992, Outcome::Success);
        const int admittedFirst = int(first8.count(QLatin1Char('a')));
        QCOMPARE(1000 - admittedFirst - admittedAfter, rejectedOf1000);
    }

    void theSameTrafficGetsTheSameAnswers()
    {
        // Two engines given the same calls (as a replay gives a recording)
        // make the same choices, through two opens.
        std::string answers[2];
        for (std::string &out : answers) {
            Rig rig;
            auto b = rig.add(enforcing(30));
            for (int round = 0; round < 2; ++round) {
                calls(*b, 10, Outcome::Failure);
                out += admissions(*b, 37, Outcome::Failure) + '|';
                rig.clock.advance(std::chrono::seconds(10));
                calls(*b, 2, Outcome::Success);
                out += nameOf(b->state());
            }
        }
        QCOMPARE(answers[0], answers[1]);
        QVERIFY(answers[0].find('r') != std::string::npos);
        QVERIFY(answers[0].find('a') != std::string::npos);
    }

    void eachOpenStartsTheCountAgain()
    {
        Rig rig;
        auto b = rig.add(enforcing(50));
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(admissions(*b, 3, Outcome::Success), std::string("ara"));
        rig.clock.advance(std::chrono::seconds(10));
        calls(*b, 1, Outcome::Failure); // the trial fails: open again
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(admissions(*b, 3, Outcome::Success), std::string("ara"));
    }

    void anOperatorsForcedOpenIsAlwaysEnforced()
    {
        Rig rig;
        auto b = rig.add(enforcing(0));
        QVERIFY(b->apply(command(OperatorAction::ForceOpen)).empty());
        QCOMPARE(calls(*b, 5, Outcome::Success), 0);
        const BreakerSnapshot s = b->snapshot(rig.clock.now());
        QCOMPARE(s.totals.rejected[std::size_t(RejectReason::ForcedOpen)], 5u);
        QCOMPARE(s.totals.wouldRejectTotal(), 0u);
    }

    void aGroupOpenedByItsRuleFollowsTheMembersEnforcementAForcedOneDoesNot()
    {
        Rig rig;
        auto a = rig.add(countPolicy(), "a");
        auto b = rig.add(countPolicy(), "b");
        auto watched = rig.add(enforcing(0), "watched");
        auto group = rig.engine.addGroup("pair", {"a", "b", "watched"}, 50.0);
        calls(*a, 10, Outcome::Failure);
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(group->state(), BreakerState::Open);
        QCOMPARE(watched->state(), BreakerState::Closed);
        const Permit p = watched->tryAcquire();
        QVERIFY(p.wouldReject());
        QCOMPARE(p.rejectReason(), RejectReason::GroupOpen);
        // Its outcome is counted, not judged: the member's window stays empty.
        watched->record(p, Outcome::Failure, ms(1));
        QCOMPARE(watched->snapshot(rig.clock.now()).window, (WindowTotals{0, 0, 0}));

        QVERIFY(group->apply(command(OperatorAction::ForceOpen)).empty());
        QVERIFY(!watched->tryAcquire());
        const BreakerSnapshot s = watched->snapshot(rig.clock.now());
        QCOMPARE(s.totals.wouldReject[std::size_t(RejectReason::GroupOpen)], 1u);
        QCOMPARE(s.totals.rejected[std::size_t(RejectReason::GroupOpen)], 1u);
        QCOMPARE(s.totals.failures, 1u);
    }

    void transitionsSayHowMuchWasEnforced()
    {
        Rig rig;
        auto monitored = rig.add(enforcing(0), "monitored");
        auto quarter = rig.add(enforcing(25), "quarter");
        auto full = rig.add(countPolicy(), "full");
        for (auto *b : {monitored.get(), quarter.get(), full.get()})
            calls(*b, 10, Outcome::Failure);
        const auto events = rig.engine.drainEvents();
        QCOMPARE(events.size(), std::size_t(3));
        QCOMPARE(events[0].enforcement, 0.0);
        QCOMPARE(events[0].describe(),
                 std::string("monitored closed → open: failure rate 100% ≥ 50% over 10 calls (monitor only)"));
        QCOMPARE(events[1].enforcement, 25.0);
        QVERIFY(events[1].describe().ends_with(" (25% enforced)"));
        QCOMPARE(events[2].enforcement, 100.0);
        QVERIFY(events[2].describe().ends_with("over 10 calls"));
    }

    void anEditTurnsEnforcementOnWhileOpen()
    {
        Rig rig;
        auto b = rig.add(enforcing(0));
        calls(*b, 10, Outcome::Failure);
        QCOMPARE(calls(*b, 3, Outcome::Success), 3);
        QVERIFY(b->updatePolicy(enforcing(100), WindowEdit::Keep).applied());
        QCOMPARE(b->state(), BreakerState::Open);
        QCOMPARE(calls(*b, 3, Outcome::Success), 0);
        QVERIFY(b->updatePolicy(enforcing(0), WindowEdit::Keep).applied());
        QCOMPARE(calls(*b, 3, Outcome::Success), 3);
    }

    void enforcementOutsideZeroToHundredIsRefused_data()
    {
        QTest::addColumn<double>("percent");
        QTest::newRow("negative") << -1.0;
        QTest::newRow("above 100") << 100.5;
        QTest::newRow("not a number") << std::nan("");
        QTest::newRow("infinite") << HUGE_VAL;
    }
    void enforcementOutsideZeroToHundredIsRefused()
    {
        QFETCH(double, percent);
        Rig rig;
        auto b = rig.add(enforcing(50));
        const PolicyUpdate update = b->updatePolicy(enforcing(percent), WindowEdit::Keep);
        QCOMPARE(update.errors.size(), std::size_t(1));
        QCOMPARE(update.errors[0].field, std::string("enforcement"));
        QVERIFY(update.errors[0].message.starts_with("must be a percentage from 0 (monitor only) to 100"));
        QCOMPARE(b->policy().enforcement, 50.0);
    }
};

QTEST_APPLESS_MAIN(TestEnforcement)
#include "tst_enforcement.moc"
