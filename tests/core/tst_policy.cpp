// Policy validation names every bad field and leaves a running breaker as it
// was; good edits apply live, keeping or resetting the window.
#include "coretesting.h"

using namespace bb;
using namespace bb::testing;

namespace {
std::vector<std::string> fields(const std::vector<PolicyError> &errors)
{
    std::vector<std::string> out;
    for (const auto &e : errors)
        out.push_back(e.field);
    return out;
}
} // namespace

class TestPolicy : public QObject {
    Q_OBJECT
private slots:
    void defaultsAreValid() { QVERIFY(validate(BreakerPolicy{}).empty()); }

    void eachBadValueNamesItsField_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("window size 0") << 0 << "window.size" << "must be between 1 and 3600 seconds, got 0";
        QTest::newRow("count window too big") << 1 << "window.size" << "must be between 1 and 100000 calls, got 100001";
        QTest::newRow("minimum calls 0") << 2 << "minimum_calls" << "must be at least 1, got 0";
        QTest::newRow("minimum calls above count window")
            << 3 << "minimum_calls" << "must not exceed the count window's 10 calls, got 11";
        QTest::newRow("failure threshold 0")
            << 4 << "failure_rate_threshold" << "must be a rate above 0% and at most 100%, got 0%";
        QTest::newRow("failure threshold above 100")
            << 5 << "failure_rate_threshold" << "must be a rate above 0% and at most 100%, got 150%";
        QTest::newRow("failure threshold NaN")
            << 6 << "failure_rate_threshold" << "must be a rate above 0% and at most 100%, got nan%";
        QTest::newRow("slow threshold negative")
            << 7 << "slow_call.rate_threshold" << "must be a rate above 0% and at most 100%, got -1%";
        QTest::newRow("slow duration 0") << 8 << "slow_call.duration" << "must be positive, got 0 ms";
        QTest::newRow("consecutive too many")
            << 9 << "consecutive_failures" << "must be at most 1000000 (0 turns the rule off), got 2000000";
        QTest::newRow("wait 0") << 10 << "wait_duration" << "must be between 1 ms and 24 h, got 0 ms";
        QTest::newRow("multiplier below 1") << 11 << "backoff.multiplier" << "must be between 1 and 100, got 0.5";
        QTest::newRow("max wait below wait")
            << 12 << "backoff.max_wait" << "must be at least wait_duration (30000 ms) and at most 24 h, got 1000 ms";
        QTest::newRow("jitter 1") << 13 << "backoff.jitter" << "must be a fraction in [0, 1), got 1";
        QTest::newRow("no permits") << 14 << "half_open.permitted_calls" << "must be between 1 and 65535, got 0";
        QTest::newRow("success threshold above permits")
            << 15 << "half_open.success_threshold" << "must be between 1 and half_open.permitted_calls (3), got 4";
    }

    void eachBadValueNamesItsField()
    {
        QFETCH(int, which);
        QFETCH(QString, field);
        QFETCH(QString, message);
        BreakerPolicy p;
        switch (which) {
        case 0: p.windowSize = 0; break;
        case 1: p.windowType = WindowType::Count, p.windowSize = 100001; break;
        case 2: p.minimumCalls = 0; break;
        case 3: p.windowType = WindowType::Count, p.windowSize = 10, p.minimumCalls = 11; break;
        case 4: p.failureRateThreshold = 0; break;
        case 5: p.failureRateThreshold = 150; break;
        case 6: p.failureRateThreshold = std::nan(""); break;
        case 7: p.slowCallRateThreshold = -1; break;
        case 8: p.slowCallDuration = Duration::zero(); break;
        case 9: p.consecutiveFailures = 2'000'000; break;
        case 10: p.waitDuration = Duration::zero(); break;
        case 11: p.backoffMultiplier = 0.5; break;
        case 12: p.maxWait = ms(1000); break;
        case 13: p.jitter = 1.0; break;
        case 14: p.halfOpenPermittedCalls = 0, p.halfOpenSuccessThreshold = 0; break;
        case 15: p.halfOpenSuccessThreshold = 4; break;
        }
        const auto errors = validate(p);
        QVERIFY(!errors.empty());
        QCOMPARE(QString::fromStdString(errors.front().field), field);
        QCOMPARE(QString::fromStdString(errors.front().message), message);
    }

    void everyBadFieldIsReportedAtOnce()
    {
        BreakerPolicy p;
        p.failureRateThreshold = -3;
        p.jitter = -0.1;
        p.halfOpenSuccessThreshold = 0;
        const std::vector<std::string> expected = {"failure_rate_threshold", "backoff.jitter",
                                                   "half_open.success_threshold"};
        QCOMPARE(fields(validate(p)), expected);
    }

    void aBadEditLeavesTheRunningBreakerUntouched()
    {
        Rig rig;
        const BreakerPolicy good = countPolicy(10, 10, 50.0);
        auto b = rig.add(good);
        calls(*b, 4, Outcome::Failure);
        const auto before = b->snapshot(rig.clock.now());

        BreakerPolicy bad = good;
        bad.windowSize = 5; // minimum_calls 10 no longer fits
        bad.failureRateThreshold = 0;
        const PolicyUpdate update = b->updatePolicy(bad, WindowEdit::Reset);
        QVERIFY(!update.applied());
        const std::vector<std::string> expected = {"minimum_calls", "failure_rate_threshold"};
        QCOMPARE(fields(update.errors), expected);

        const auto after = b->snapshot(rig.clock.now());
        QCOMPARE(after.policy, good);
        QCOMPARE(after.window, before.window);
        QCOMPARE(after.generation, before.generation);
        calls(*b, 6, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Open); // still judged by the old rules
    }

    void creatingABreakerWithABadPolicyThrows()
    {
        Rig rig;
        BreakerPolicy bad;
        bad.waitDuration = Duration::zero();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rig.add(bad, "x"));
        QVERIFY(rig.engine.breaker("x") == nullptr);
        rig.add(BreakerPolicy{}, "x");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rig.add(BreakerPolicy{}, "x"));
    }

    void thresholdEditKeepingTheWindowJudgesTheSameCallsAnew()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 7, Outcome::Success);
        calls(*b, 3, Outcome::Failure);
        QCOMPARE(b->state(), BreakerState::Closed);
        BreakerPolicy stricter = countPolicy(10, 10, 30.0);
        const PolicyUpdate update = b->updatePolicy(stricter, WindowEdit::Keep);
        QVERIFY(update.applied());
        QVERIFY(!update.windowReset);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{10, 3, 0}));
        call(*b, Outcome::Success); // 3 of 10 still in the window: 30% ≥ 30%
        QCOMPARE(b->state(), BreakerState::Open);
    }

    void thresholdEditResettingTheWindowStartsEmpty()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 7, Outcome::Success);
        calls(*b, 3, Outcome::Failure);
        const PolicyUpdate update = b->updatePolicy(countPolicy(10, 10, 30.0), WindowEdit::Reset);
        QVERIFY(update.windowReset);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{0, 0, 0}));
        call(*b, Outcome::Success);
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->snapshot(rig.clock.now()).totals.successes, 8u); // totals survive
    }

    void resizingTheWindowKeepsWhatFits()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 4, Outcome::Failure);
        calls(*b, 6, Outcome::Success);
        QCOMPARE(b->state(), BreakerState::Closed);
        const PolicyUpdate update = b->updatePolicy(countPolicy(5, 5, 50.0), WindowEdit::Keep);
        QVERIFY(update.applied());
        QVERIFY(!update.windowReset);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{5, 0, 0}));
        const auto s = b->snapshot(rig.clock.now());
        QCOMPARE(s.totals.successes, 6u);
        QCOMPARE(s.totals.failures, 4u);
    }

    void changingTheWindowTypeCannotKeepIt()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 5, 50.0));
        calls(*b, 3, Outcome::Failure);
        BreakerPolicy timed = countPolicy(10, 5, 50.0);
        timed.windowType = WindowType::Time;
        const PolicyUpdate update = b->updatePolicy(timed, WindowEdit::Keep);
        QVERIFY(update.applied());
        QVERIFY(update.windowReset);
        QCOMPARE(b->snapshot(rig.clock.now()).window, (WindowTotals{0, 0, 0}));
        QCOMPARE(b->snapshot(rig.clock.now()).totals.failures, 3u);
    }

    void halfOpenPermitsEditAppliesToTheRunningTrial()
    {
        Rig rig;
        auto b = rig.add(countPolicy(10, 10, 50.0));
        calls(*b, 10, Outcome::Failure);
        rig.clock.advance(std::chrono::seconds(10));
        QVERIFY(bool(b->tryAcquire()));
        BreakerPolicy one = countPolicy(10, 10, 50.0);
        one.halfOpenPermittedCalls = 1;
        one.halfOpenSuccessThreshold = 1;
        QVERIFY(b->updatePolicy(one, WindowEdit::Keep).applied());
        QCOMPARE(b->tryAcquire().rejectReason(), RejectReason::HalfOpenFull);
    }

    void operatorCommandsAreValidated()
    {
        Rig rig;
        auto b = rig.add(countPolicy());
        auto check = [&](OperatorCommand c, const std::string &field) {
            const auto errors = b->apply(c);
            return errors.size() == 1 && errors[0].field == field;
        };
        QVERIFY(check({OperatorAction::ForceOpen, "", "why", std::nullopt}, "actor"));
        QVERIFY(check({OperatorAction::Reset, "bob", "", std::chrono::seconds(5)}, "expires_in_s"));
        QVERIFY(check({OperatorAction::ForceOpen, "bob", "", Duration::zero()}, "expires_in_s"));
        QVERIFY(check({OperatorAction::Disable, "bob", "", std::chrono::hours(24 * 31)}, "expires_in_s"));
        QVERIFY(check({OperatorAction::Disable, "bob", std::string(2001, 'x'), std::nullopt}, "reason"));
        QCOMPARE(b->state(), BreakerState::Closed);
        QCOMPARE(b->generation(), 1u);
        QVERIFY(rig.engine.drainEvents().empty());
    }
};

QTEST_APPLESS_MAIN(TestPolicy)
#include "tst_policy.moc"
