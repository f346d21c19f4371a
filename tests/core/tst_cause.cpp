// Causes read well and parse back to the same value, for every kind.
#include "core/cause.h"

#include <QTest>

using namespace bb;

namespace {
Cause make(CauseKind kind)
{
    Cause c;
    c.kind = kind;
    return c;
}
} // namespace

class TestCause : public QObject {
    Q_OBJECT
private slots:
    void roundTrips_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("text");
        QTest::newRow("failure rate") << 0 << "failure rate 62.5% ≥ 50% over 16 calls";
        QTest::newRow("slow rate") << 1 << "slow-call rate 33.33% ≥ 30% over 12 calls slower than 2000 ms";
        QTest::newRow("consecutive") << 2 << "5 consecutive failures ≥ 5";
        QTest::newRow("trial failure") << 3 << "trial call failed with 2 of 3 permits used";
        QTest::newRow("trial slow") << 4 << "trial call slower than 750 ms";
        QTest::newRow("trial successes") << 5 << "3 trial successes ≥ 3";
        QTest::newRow("wait") << 6 << "wait of 60000 ms elapsed after open #2";
        QTest::newRow("operator") << 7 << "operator \"alice\" force_open: \"deploy \\\"v2\\\" \\\\ rollback\" for 600 s";
        QTest::newRow("operator no expiry") << 8 << "operator \"ops-bot\" half_open: \"\"";
        QTest::newRow("expiry") << 9 << "expiry of disable by \"alice\" for 30 s";
        QTest::newRow("group") << 10 << "2 of 3 members open > 50%";
        QTest::newRow("group recovery") << 11 << "1 of 3 members open ≤ 60%";
        QTest::newRow("member of group") << 12 << "group \"payment\" reset by \"bob\": \"all clear\"";
        QTest::newRow("shared open")
            << 13 << "on \"payments-2\" with a wait of 12000 ms: failure rate 62.5% ≥ 50% over 16 calls";
        QTest::newRow("shared close") << 14 << "on \"payments-2\": 3 trial successes ≥ 3";
        QTest::newRow("shared colons and quotes")
            << 15 << "on \"eu:1 \\\"blue\\\"\": operator \"alice\" force_open: \"db: \\\"down\\\"\"";
        QTest::newRow("shared empty reason") << 16 << "on \"x\" with a wait of 1 ms: ";
    }

    void roundTrips()
    {
        QFETCH(int, index);
        QFETCH(QString, text);
        std::vector<Cause> causes;
        Cause c = make(CauseKind::FailureRate);
        c.rate = 62.5, c.threshold = 50, c.calls = 16;
        causes.push_back(c);
        c = make(CauseKind::SlowCallRate);
        c.rate = 33.33, c.threshold = 30, c.calls = 12, c.slowMs = 2000;
        causes.push_back(c);
        c = make(CauseKind::ConsecutiveFailures);
        c.count = 5, c.limit = 5;
        causes.push_back(c);
        c = make(CauseKind::TrialFailure);
        c.count = 2, c.limit = 3;
        causes.push_back(c);
        c = make(CauseKind::TrialSlow);
        c.slowMs = 750;
        causes.push_back(c);
        c = make(CauseKind::TrialSuccesses);
        c.count = 3, c.limit = 3;
        causes.push_back(c);
        c = make(CauseKind::WaitElapsed);
        c.waitMs = 60000, c.count = 2;
        causes.push_back(c);
        c = make(CauseKind::Operator);
        c.actor = "alice", c.action = OperatorAction::ForceOpen, c.reason = "deploy \"v2\" \\ rollback";
        c.expiresInS = 600;
        causes.push_back(c);
        c = make(CauseKind::Operator);
        c.actor = "ops-bot", c.action = OperatorAction::HalfOpen;
        causes.push_back(c);
        c = make(CauseKind::Expiry);
        c.action = OperatorAction::Disable, c.actor = "alice", c.expiresInS = 30;
        causes.push_back(c);
        c = make(CauseKind::Group);
        c.count = 2, c.limit = 3, c.threshold = 50;
        causes.push_back(c);
        c = make(CauseKind::Group);
        c.count = 1, c.limit = 3, c.threshold = 60;
        causes.push_back(c);
        c = make(CauseKind::MemberOfGroup);
        c.group = "payment", c.action = OperatorAction::Reset, c.actor = "bob", c.reason = "all clear";
        causes.push_back(c);

        c = make(CauseKind::Shared);
        c.actor = "payments-2", c.reason = causes[0].toString(), c.waitMs = 12000;
        causes.push_back(c);
        c = make(CauseKind::Shared);
        c.actor = "payments-2", c.reason = causes[5].toString();
        causes.push_back(c);
        c = make(CauseKind::Shared);
        c.actor = "eu:1 \"blue\"", c.reason = "operator \"alice\" force_open: \"db: \\\"down\\\"\"";
        causes.push_back(c);
        c = make(CauseKind::Shared);
        c.actor = "x", c.waitMs = 1;
        causes.push_back(c);

        const Cause &cause = causes.at(std::size_t(index));
        QCOMPARE(QString::fromStdString(cause.toString()), text);
        const auto parsed = Cause::parse(text.toStdString());
        QVERIFY(parsed.has_value());
        QVERIFY(*parsed == cause);
    }

    // The other instance's cause travels as text and comes back as a value.
    void aSharedReasonParsesAsTheCauseItWas()
    {
        Cause theirs = make(CauseKind::Operator);
        theirs.actor = "bob: ops", theirs.action = OperatorAction::ForceOpen, theirs.reason = "on \"x\": y";
        Cause shared = make(CauseKind::Shared);
        shared.actor = "a:b", shared.reason = theirs.toString(), shared.waitMs = 5;
        const auto parsed = Cause::parse(shared.toString());
        QVERIFY(parsed.has_value());
        QVERIFY(*parsed == shared);
        QVERIFY(Cause::parse(parsed->reason) == theirs);
        QVERIFY(!Cause::parse("on payments-2: 3 trial successes ≥ 3").has_value()); // the name is quoted
    }

    void unknownTextDoesNotParse()
    {
        QVERIFY(!Cause::parse("failure rate lots").has_value());
        QVERIFY(!Cause::parse("").has_value());
        QVERIFY(!Cause::parse("operator \"x\" explode: \"y\"").has_value());
    }

    void numbersBeyondTheirTypeDoNotParse()
    {
        QVERIFY(!Cause::parse("failure rate 61.5% ≥ 50% over 122222222222222222222222222 calls"));
        QVERIFY(!Cause::parse("trial call slower than 99999999999999999999999 ms"));
        QVERIFY(Cause::parse("failure rate 61.5% ≥ 50% over 12 calls"));
    }

    void ratesPrintWithoutTrailingZeros()
    {
        QCOMPARE(formatRate(50.0), std::string("50"));
        QCOMPARE(formatRate(62.5), std::string("62.5"));
        QCOMPARE(formatRate(33.333333), std::string("33.33"));
        QCOMPARE(formatRate(0.0), std::string("0"));
    }
};

QTEST_APPLESS_MAIN(TestCause)
#include "tst_cause.moc"
