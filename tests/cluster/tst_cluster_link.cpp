// Instances sharing state through a real redis-server: a force made on one
// holds on every one, and on one that starts later; expiry, reset and policy
// edits travel too; Redis going away leaves every instance serving alone,
// and when it is back the later operator action wins everywhere; records
// that do not parse are reported and never applied.
#include "clustermember.h"
#include "redisprocess.h"
#include "redisreplies.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace bb;
using namespace bb::testing;
using Link = control::SharedStateStatus::Link;

class TestClusterLink : public QObject {
    Q_OBJECT

    std::unique_ptr<RedisProcess> m_redis;

    std::vector<std::unique_ptr<ClusterMember>> members(int n) { return startMembers(m_redis->port(), n); }

    shared::RedisReply redis(const QByteArrayList &args)
    {
        shared::RedisConnection c;
        c.connectTo(QStringLiteral("127.0.0.1"), m_redis->port());
        return call(c, args);
    }

private slots:
    void init() { startRedis(m_redis); }
    void cleanup() { m_redis.reset(); }

    void aForceHoldsOnEveryInstanceAndOneStartedLater()
    {
        auto all = members(3);
        QCOMPARE(all[1]->linkState(), Link::Connected);
        QElapsedTimer t;
        t.start();
        QVERIFY(all[0]->force("a", OperatorAction::ForceOpen, "alice", "db migration").ok());
        QTRY_COMPARE(all[1]->state("a"), BreakerState::ForcedOpen);
        QTRY_COMPARE(all[2]->state("a"), BreakerState::ForcedOpen);
        qInfo("force on i1 held on i2 and i3 after %lld ms", t.elapsed());
        QCOMPARE(all[2]->cause("a").actor, std::string("alice"));
        QCOMPARE(all[2]->cause("a").reason, std::string("db migration"));
        QCOMPARE(all[1]->state("b"), BreakerState::Closed);

        // Applied from the cluster: audited here as from i1, and not written back.
        QTRY_VERIFY(!all[2]->control->audit(10).empty());
        QCOMPARE(all[2]->control->audit(10).back().origin, std::string("cluster i1"));
        QTRY_COMPARE(all[2]->link->clusterAudit(10).size(), std::size_t(1));
        QCOMPARE(all[2]->link->clusterAudit(10).back().instance, std::string("i1"));
        QCOMPARE(all[2]->link->clusterAudit(10).back().actor, std::string("alice"));

        // A fourth instance is forced before its start returns: before its proxy would admit anything.
        ClusterMember late(m_redis->port(), "i4");
        QCOMPARE(late.state("a"), BreakerState::Closed);
        QVERIFY(late.link->start(std::chrono::seconds(5)));
        QCOMPARE(late.state("a"), BreakerState::ForcedOpen);
        QCOMPARE(late.cause("a").reason, std::string("db migration"));

        QVERIFY(all[1]->force("a", OperatorAction::Reset, "bob", "done").ok());
        for (auto *m : {all[0].get(), all[2].get(), &late})
            QTRY_COMPARE(m->state("a"), BreakerState::Closed);
    }

    void groupsAndExpiriesAreShared()
    {
        auto all = members(2);
        QVERIFY(all[0]->force("g", OperatorAction::ForceOpen, "erin", "drill", std::chrono::milliseconds(1500), true).ok());
        QTRY_COMPARE(all[1]->groupState("g"), BreakerState::ForcedOpen);
        const auto expiry = [](ClusterMember &m) { return *m.control->snapshot()->group("g")->wall.expiresMs; };
        QTRY_VERIFY(all[1]->control->snapshot()->group("g")->wall.expiresMs.has_value());
        QVERIFY(std::llabs(expiry(*all[0]) - expiry(*all[1])) <= 2);
        QTRY_COMPARE_WITH_TIMEOUT(all[1]->groupState("g"), BreakerState::Closed, 5000);
        QTRY_COMPARE(all[0]->groupState("g"), BreakerState::Closed);
        // An expired force never comes back: an instance started now is not forced.
        ClusterMember late(m_redis->port(), "i3");
        QVERIFY(late.link->start(std::chrono::seconds(5)));
        QCOMPARE(late.groupState("g"), BreakerState::Closed);
    }

    void policyEditsAreShared()
    {
        auto all = members(3);
        const auto result = all[2]->control->editPolicy("b", R"({"failure_threshold": 0.25})", WindowEdit::Keep,
                                                        "calmer", {"carol", "test"});
        QVERIFY(result.ok());
        for (int i : {0, 1})
            QTRY_COMPARE(all[i]->engine.breaker("b")->policy().failureRateThreshold, 25.0);
        QCOMPARE(all[0]->engine.breaker("a")->policy().failureRateThreshold, 50.0);
        QCOMPARE(all[0]->control->audit(1).back().origin, std::string("cluster i3"));
    }

    void aReloadsPolicyChangesAreShared()
    {
        auto all = members(2);
        QTemporaryDir dir;
        QFile file(dir.filePath("config.yaml"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        std::string changed = kTwoServices;
        changed.replace(changed.find("recovery_timeout: 10000"), 23, "recovery_timeout: 20000");
        file.write(QByteArray::fromStdString(changed));
        file.close();
        const auto result = all[0]->control->reload(file.fileName(), {"config-file", "config"});
        QVERIFY(result.applied);
        QCOMPARE(result.changed.size(), std::size_t(2));
        for (const char *service : {"a", "b"})
            QTRY_COMPARE(all[1]->engine.breaker(service)->policy().waitDuration, Duration(std::chrono::seconds(20)));
    }

    void redisAwayLaterActionWinsWhenBack()
    {
        auto all = members(3);
        QVERIFY(all[0]->force("a", OperatorAction::ForceOpen, "alice", "first").ok());
        QTRY_COMPARE(all[2]->state("a"), BreakerState::ForcedOpen);

        m_redis->kill();
        for (auto &m : all)
            QTRY_COMPARE(m->linkState(), Link::Down);
        QVERIFY(!all[0]->link->sharedState().problem.isEmpty());
        // Commands go on meanwhile, each instance alone; the later one must win.
        QVERIFY(all[0]->force("b", OperatorAction::ForceOpen, "alice", "during the outage").ok());
        QTest::qWait(5);
        QVERIFY(all[1]->force("b", OperatorAction::ForceClosed, "bob", "later in the outage").ok());
        QCOMPARE(all[0]->state("b"), BreakerState::ForcedOpen);
        QCOMPARE(all[2]->state("b"), BreakerState::Closed);
        QVERIFY(all[1]->link->sharedState().unsent > 0);

        QVERIFY(m_redis->start()); // empty: what it held is gone with it
        for (auto &m : all)
            QTRY_COMPARE_WITH_TIMEOUT(m->linkState(), Link::Connected, 15000);
        for (auto &m : all) {
            QTRY_COMPARE(m->state("b"), BreakerState::ForcedClosed);
            QCOMPARE(m->cause("b").actor, std::string("bob"));
            QCOMPARE(m->state("a"), BreakerState::ForcedOpen); // published again by those who knew it
        }
        QTRY_COMPARE(all[1]->link->sharedState().unsent, std::uint64_t(0));
        const auto held = redis({"HGET", "test:forced", "breaker/a"});
        QVERIFY2(held.text.contains("\"first\""), held.text.constData());
    }

    void malformedRecordsAreReportedAndIgnored()
    {
        auto all = members(1);
        QSignalSpy said(all[0]->link.get(), &cluster::ClusterLink::said);
        QCOMPARE(redis({"HSET", "test:forced", "breaker/a", "{not json"}).integer, 1);
        const QByteArray wrongAction = R"({"format":1,"type":"forced","target":"breaker/b","action":"explode","actor":"x",)"
                                       R"("reason":"","expires_at_ms":null,"version":{"at_ms":5,"seq":1,"instance":"z"}})";
        QCOMPARE(redis({"PUBLISH", "test:changes", wrongAction}).integer, 1);
        QTRY_COMPARE(all[0]->link->sharedState().refusedRecords, std::uint64_t(1));
        QTRY_COMPARE_WITH_TIMEOUT(all[0]->link->sharedState().refusedRecords, std::uint64_t(2), 10000);
        QCOMPARE(all[0]->state("a"), BreakerState::Closed);
        QCOMPARE(all[0]->state("b"), BreakerState::Closed);
        bool named = false;
        for (const auto &args : said)
            named = named || args.at(0).toString().contains(QStringLiteral("test:forced breaker/a"));
        QVERIFY(named);
        // A policy that fails this instance's checks is not applied either.
        const QByteArray badPolicy = R"({"format":1,"type":"policy","service":"a","policy":{"failure_threshold":7},)"
                                     R"("actor":"x","reason":"","version":{"at_ms":5,"seq":1,"instance":"z"}})";
        QCOMPARE(redis({"PUBLISH", "test:changes", badPolicy}).integer, 1);
        QTRY_COMPARE(all[0]->link->sharedState().refusedRecords, std::uint64_t(3));
        QCOMPARE(all[0]->engine.breaker("a")->policy().failureRateThreshold, 50.0);
        // A record dated far ahead would win over every later action: stale, never applied, and overwritten.
        const QByteArray future = R"({"format":1,"type":"forced","target":"breaker/b","action":"force_open","actor":"x",)"
                                  R"("reason":"","expires_at_ms":null,"version":{"at_ms":32503680000000,"seq":1,"instance":"z"}})";
        QCOMPARE(redis({"HSET", "test:forced", "breaker/b", future}).integer, 1);
        QTRY_COMPARE_WITH_TIMEOUT(all[0]->link->sharedState().refusedRecords, std::uint64_t(4), 10000);
        QCOMPARE(all[0]->state("b"), BreakerState::Closed);
        QVERIFY(all[0]->force("b", OperatorAction::ForceClosed, "bob", "now").ok());
        QTRY_VERIFY(redis({"HGET", "test:forced", "breaker/b"}).text.contains("\"bob\""));
        // The link is still up and still applies good records.
        QCOMPARE(all[0]->linkState(), Link::Connected);
    }

    void startsAloneWhenRedisIsAway()
    {
        m_redis->kill();
        ClusterMember m(m_redis->port(), "lonely");
        QVERIFY(!m.link->start(std::chrono::milliseconds(300)));
        QCOMPARE(m.linkState(), Link::Down);
        QVERIFY(m.force("a", OperatorAction::ForceOpen, "alice", "alone").ok());
        QCOMPARE(m.state("a"), BreakerState::ForcedOpen);
        QVERIFY(m_redis->start());
        QTRY_COMPARE_WITH_TIMEOUT(m.linkState(), Link::Connected, 15000);
        QTRY_VERIFY(redis({"HGET", "test:forced", "breaker/a"}).text.contains("alone"));
        QTRY_COMPARE(redis({"XLEN", "test:audit"}).integer, 1);
    }
};

QTEST_MAIN(TestClusterLink)
#include "tst_cluster_link.moc"
