// The fleet's breakers merged: the worst state by what it does to calls,
// "open on K of N", the requests summed from each breaker's totals.
#include "remote/fleetsummary.h"

#include <QTest>

using namespace bb;
using namespace bb::remote;

namespace {
QJsonObject breaker(const char *name, const char *state, double successes = 0, double failures = 0,
                    double ignored = 0, double rejected = 0) {
    return {{"name", name},
            {"state", state},
            {"totals", QJsonObject{{"successes", successes},
                                   {"failures", failures},
                                   {"timeouts", failures}, // among the failures: not counted twice
                                   {"slow", successes},    // among the calls: not counted twice
                                   {"ignored", ignored},
                                   {"rejected", rejected}}}};
}
} // namespace

class TestRemoteFleetSummary : public QObject {
    Q_OBJECT
private slots:
    void aStateThatTurnsCallsAwayIsWorse() {
        const std::vector<BreakerState> worstFirst{
            BreakerState::ForcedOpen, BreakerState::Open,         BreakerState::HalfOpen,
            BreakerState::Disabled,   BreakerState::ForcedClosed, BreakerState::Closed};
        for (std::size_t i = 1; i < worstFirst.size(); ++i)
            QVERIFY(severity(worstFirst[i - 1]) > severity(worstFirst[i]));
        QVERIFY(turnsCallsAway(BreakerState::Open));
        QVERIFY(turnsCallsAway(BreakerState::ForcedOpen));
        QVERIFY(!turnsCallsAway(BreakerState::HalfOpen));
    }

    void requestsAreTheBreakersOwnCount() {
        QCOMPARE(requestsOf(breaker("a", "closed", 10, 3, 2, 5)), std::uint64_t(20));
        QCOMPARE(requestsOf(QJsonObject{{"name", "a"}}), std::uint64_t(0));
    }

    void breakersAreMergedByName() {
        const std::vector<InstanceBreakers> answered{
            {"eu-1", QJsonArray{breaker("pay", "closed", 10), breaker("ship", "half_open", 1, 1)}},
            {"eu-2",
             QJsonArray{breaker("pay", "open", 4, 4, 0, 7), breaker("ship", "disabled", 3)}},
            {"us-1",
             QJsonArray{breaker("pay", "forced_open", 0, 0, 0, 2), breaker("odd", "ajar", 99),
                        breaker("only-here", "forced_closed", 1)}},
        };
        const auto merged = mergeBreakers(answered);
        QCOMPARE(merged.size(), 3u); // sorted by name; the unknown state left out
        const FleetBreaker &onlyHere = merged[0];
        QCOMPARE(onlyHere.name, QString("only-here"));
        QCOMPARE(onlyHere.states.size(), 1u);
        QCOMPARE(onlyHere.worst, BreakerState::ForcedClosed);

        const FleetBreaker &pay = merged[1];
        QCOMPARE(pay.name, QString("pay"));
        QCOMPARE(pay.worst, BreakerState::ForcedOpen);
        QCOMPARE(pay.instancesOpen, 2);
        QCOMPARE(pay.states.size(), 3u);
        QCOMPARE(pay.states[1], std::make_pair(QString("eu-2"), BreakerState::Open));
        QCOMPARE(pay.requestsTotal, std::uint64_t(10 + 15 + 2));

        const FleetBreaker &ship = merged[2];
        QCOMPARE(ship.worst, BreakerState::HalfOpen);
        QCOMPARE(ship.instancesOpen, 0);
        QCOMPARE(ship.requestsTotal, std::uint64_t(5));
    }
};

QTEST_GUILESS_MAIN(TestRemoteFleetSummary)
#include "tst_remote_fleetsummary.moc"
