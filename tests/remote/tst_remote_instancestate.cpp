// What a remote dashboard keeps of an instance's event stream, read from
// hand-written events: the link to the cluster's shared state comes with the
// snapshot and again with an update when it changed; an update without it
// keeps the last; a malformed one makes the whole event malformed and
// changes nothing.
#include "control/apijson.h"
#include "control/sharedstatus.h"
#include "remote/instancestate.h"

#include <QJsonArray>
#include <QTest>

using namespace bb;
using namespace bb::control;
using namespace bb::remote;

namespace {
const QJsonObject kConnected{{"link", "connected"},     {"cluster", "shop"},   {"redis", "10.0.0.5:6379/0"},
                             {"instance", "eu-1"},     {"breakers", "follow"}, {"since_ms", 1000.0},
                             {"refused_records", 2.0}, {"unsent", 0.0}};

QJsonObject down(const QString &problem)
{
    QJsonObject o = kConnected;
    o.insert("link", "down");
    o.insert("problem", problem);
    o.insert("unsent", 3.0);
    return o;
}

QJsonObject snapshot(std::optional<QJsonObject> shared)
{
    QJsonObject o{{"time_ms", 5000.0}, {"duration_bounds_ms", durationBoundsJson()}};
    if (shared)
        o.insert("shared_state", *shared);
    return o;
}

QJsonObject update(double timeMs, std::optional<QJsonValue> shared)
{
    QJsonObject o{{"time_ms", timeMs}};
    if (shared)
        o.insert("shared_state", *shared);
    return o;
}

std::optional<SharedStateStatus> sharedOf(const InstanceState &state)
{
    return state.observation()->sharedState;
}
} // namespace

class TestRemoteInstanceState : public QObject {
    Q_OBJECT
private slots:
    void theSnapshotSaysHowTheSharedStateStands()
    {
        InstanceState state;
        QVERIFY(state.replace(snapshot(kConnected)));
        const auto shared = sharedOf(state);
        QVERIFY(shared);
        QCOMPARE(shared->link, SharedStateStatus::Link::Connected);
        QCOMPARE(shared->cluster, std::string("shop"));
        QCOMPARE(shared->redis, std::string("10.0.0.5:6379/0"));
        QCOMPARE(shared->instance, std::string("eu-1"));
        QCOMPARE(shared->breakers, std::string("follow"));
        QCOMPARE(shared->refusedRecords, std::uint64_t(2));
        QVERIFY(shared->problem.isEmpty());
    }

    void anInstanceThatSharesNothingSaysNothing()
    {
        InstanceState state;
        QVERIFY(state.replace(snapshot(kConnected)));
        QVERIFY(state.replace(snapshot(std::nullopt))); // a new snapshot replaces it all
        QVERIFY(!sharedOf(state));
    }

    void anUpdateChangesItAndOneWithoutItKeepsIt()
    {
        InstanceState state;
        QVERIFY(state.replace(snapshot(kConnected)));
        QVERIFY(state.update(update(6000, down("connection refused"))));
        auto shared = sharedOf(state);
        QVERIFY(shared);
        QCOMPARE(shared->link, SharedStateStatus::Link::Down);
        QCOMPARE(shared->problem, QString("connection refused"));
        QCOMPARE(shared->unsent, std::uint64_t(3));
        QVERIFY(state.update(update(7000, std::nullopt)));
        QCOMPARE(sharedOf(state), shared);
        QVERIFY(state.update(update(8000, kConnected)));
        QCOMPARE(sharedOf(state)->link, SharedStateStatus::Link::Connected);
    }

    void aMalformedOneIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QJsonValue>("shared");
        QJsonObject unknownLink = kConnected;
        unknownLink.insert("link", "sideways");
        QJsonObject noCluster = kConnected;
        noCluster.remove("cluster");
        QJsonObject negative = kConnected;
        negative.insert("unsent", -1.0);
        QTest::newRow("a string") << QJsonValue("connected");
        QTest::newRow("null") << QJsonValue(QJsonValue::Null);
        QTest::newRow("an unknown link") << QJsonValue(unknownLink);
        QTest::newRow("no cluster") << QJsonValue(noCluster);
        QTest::newRow("a negative count") << QJsonValue(negative);
    }
    void aMalformedOneIsRefusedAndChangesNothing()
    {
        QFETCH(QJsonValue, shared);
        InstanceState state;
        QJsonObject bad = snapshot(std::nullopt);
        bad.insert("shared_state", shared);
        QVERIFY(!state.replace(bad));
        QVERIFY(!state.known());

        QVERIFY(state.replace(snapshot(kConnected)));
        QVERIFY(!state.update(update(6000, shared)));
        QCOMPARE(state.wallMs(), std::int64_t(5000));
        QCOMPARE(sharedOf(state)->link, SharedStateStatus::Link::Connected);
    }
};

QTEST_GUILESS_MAIN(TestRemoteInstanceState)
#include "tst_remote_instancestate.moc"
