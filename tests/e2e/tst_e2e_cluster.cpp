// Several `breakerboard --headless` processes sharing state through a real
// redis-server, with real HTTP through each proxy: a force made on one holds
// on all (with its actor, reason and expiry) and on one started later from
// its first request; kill -9 of every instance keeps it; kill -9 of Redis
// mid-traffic loses no request, and once Redis is back every instance agrees
// on what was done meanwhile; a cache-fallback entry filled through one
// instance answers through another, and through one started later from its
// first request.
#include "clustertesting.h"
#include "testupstream.h"

#include <QJsonArray>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>

using namespace bb::testing;

namespace {
QString configFor(const QString &upUrl, const QString &cacheUrl, quint16 redisPort) {
    return QStringLiteral(
               "circuit_breakers:\n"
               "  default:\n"
               "    failure_threshold: 0.5\n"
               "    volume_threshold: 4\n"
               "  services:\n"
               "    svc:\n"
               "      upstream: %1/\n"
               "      route: /svc\n"
               "    other:\n"
               "      upstream: %1/\n"
               "      route: /other\n"
               "    healthy:\n"
               "      upstream: %1/\n"
               "      route: /healthy\n"
               "    cached:\n"
               "      upstream: %2/\n"
               "      route: /cached\n"
               "      fallback: {enabled: true, strategy: cache, ttl: 60000, on_failure: true}\n"
               "shared_state:\n"
               "  redis: redis://127.0.0.1:%3/0\n"
               "  cluster: e2e\n")
        .arg(upUrl, cacheUrl)
        .arg(redisPort);
}

struct Fleet {
    RedisProcess redis;
    TestUpstream up;
    std::unique_ptr<TestUpstream> cacheUp = std::make_unique<TestUpstream>();
    const QString cacheUrl = cacheUp->url(); // where instances look for it, once it is gone too
    std::vector<std::unique_ptr<Member>> members;

    Member &add(const QString &name) {
        members.push_back(
            std::make_unique<Member>(name, configFor(up.url(), cacheUrl, redis.port())));
        return *members.back();
    }
    bool start(int n) {
        std::vector<Member *> all;
        for (int i = 1; i <= n; ++i)
            all.push_back(&add(QStringLiteral("i%1").arg(i)));
        return startAll(all);
    }
    Instance &operator[](int i) { return *members[std::size_t(i)]->bb; }
};

QJsonObject sharedState(Instance &i) {
    return json(i.admin("GET", "/api/v1/instance")).value("shared_state").toObject();
}

QByteArray metrics(Instance &i) {
    const auto r = i.admin("GET", "/metrics");
    return r ? r->body : QByteArray();
}

// The wall-clock instant a forced state ends, from the snapshot's time and
// the time it has left.
qint64 expiresAtMs(const QJsonObject &breaker) {
    return qRound64(breaker.value("time_ms").toDouble() +
                    breaker.value("expires_in_s").toDouble() * 1000.0);
}

bool forcedBy(const QJsonObject &breaker, const QString &actor, const QString &reason) {
    const QJsonObject cause = breaker.value("cause").toObject();
    return breaker.value("state").toString() == QLatin1String("forced_open") &&
           cause.value("actor").toString() == actor && cause.value("reason").toString() == reason;
}

// Requests through several proxies, one after another, from a thread of its
// own; every request counted by how it ended.
class Traffic {
public:
    Traffic(std::vector<quint16> ports, QByteArray path)
        : m_ports(std::move(ports))
        , m_path(std::move(path)) {
        m_thread.reset(QThread::create([this] { run(); }));
        m_thread->start();
    }
    ~Traffic() { stop(); }
    void stop() {
        m_stop = true;
        m_thread->wait();
    }
    std::atomic<int> answered{0}; // 200, as the healthy upstream answers
    std::atomic<int> wrong{0};    // any other status
    std::atomic<int> lost{0};     // no answer within 5 s, or the connection dropped

private:
    void run() {
        std::vector<std::unique_ptr<HttpClient>> clients;
        for (quint16 port : m_ports)
            clients.push_back(std::make_unique<HttpClient>(port));
        for (std::size_t n = 0; !m_stop; ++n) {
            auto &client = clients[n % clients.size()];
            const auto r = client->get(m_path);
            if (!r) {
                ++lost;
                client = std::make_unique<HttpClient>(m_ports[n % clients.size()]);
            } else {
                ++(r->status == 200 ? answered : wrong);
            }
        }
    }
    std::vector<quint16> m_ports;
    QByteArray m_path;
    std::atomic<bool> m_stop{false};
    std::unique_ptr<QThread> m_thread;
};

const QByteArray kForceSvc =
    R"({"state": "forced_open", "reason": "db migration", "actor": "alice", "expires_in_s": 3600})";

// Three instances, svc forced open through i1 and refusing on the other two.
void startForced(Fleet &fleet) {
    QVERIFY2(fleet.redis.started(), qPrintable(fleet.redis.error()));
    QVERIFY(fleet.start(3));
    QCOMPARE(changeState(fleet[0], "svc", kForceSvc)->status, 200);
    for (int i : {1, 2})
        QVERIFY(untilStatus(fleet[i], "/svc/ok", 503) >= 0);
}
} // namespace

class TestE2eCluster : public QObject {
    Q_OBJECT
private slots:
    void aForceOnOneHoldsOnEveryInstanceAndOnOneStartedLater() {
        SKIP_WITHOUT_REDIS();
        Fleet fleet;
        QVERIFY2(fleet.redis.started(), qPrintable(fleet.redis.error()));
        QVERIFY(fleet.start(3));
        for (int i = 0; i < 3; ++i) {
            const QJsonObject link = sharedState(fleet[i]);
            QCOMPARE(link.value("link").toString(), QString("connected"));
            QCOMPARE(link.value("instance").toString(), QStringLiteral("i%1").arg(i + 1));
            QCOMPARE(link.value("cluster").toString(), QString("e2e"));
            QCOMPARE(HttpClient(fleet[i].proxyPort).get("/svc/ok")->status, 200);
        }

        QElapsedTimer clock;
        clock.start();
        QCOMPARE(changeState(fleet[0], "svc", kForceSvc)->status, 200);
        QCOMPARE(HttpClient(fleet[0].proxyPort).get("/svc/ok")->status, 503);
        for (int i : {1, 2}) {
            const qint64 took = untilStatus(fleet[i], "/svc/ok", 503);
            QVERIFY2(took >= 0, qPrintable(QStringLiteral("i%1 never answered 503").arg(i + 1)));
            qInfo("force on i1: i%d answered 503 %lld ms after the force was made", i + 1,
                  qint64(clock.elapsed()));
        }
        const QJsonObject onI1 = fleet[0].breaker("svc");
        QVERIFY(forcedBy(onI1, "alice", "db migration"));
        QVERIFY(onI1.value("expires_in_s").toDouble() > 3500);
        for (int i : {1, 2}) {
            const QJsonObject b = fleet[i].breaker("svc");
            QVERIFY2(forcedBy(b, "alice", "db migration"), QJsonDocument(b).toJson().constData());
            QVERIFY2(std::llabs(expiresAtMs(b) - expiresAtMs(onI1)) <= 5,
                     qPrintable(QStringLiteral("expiry on i1 %1, on i%2 %3")
                                    .arg(expiresAtMs(onI1))
                                    .arg(i + 1)
                                    .arg(expiresAtMs(b))));
            QCOMPARE(fleet[i].breaker("other").value("state").toString(), QString("closed"));
        }

        // The cluster's audit on i3 names the instance the force was made on.
        const auto clusterForce = [&] {
            const QJsonArray audit =
                json(fleet[2].admin("GET", "/api/v1/audit?scope=cluster")).value("audit").toArray();
            for (const QJsonValue &v : audit) {
                const QJsonObject e = v.toObject();
                if (e.value("action").toString() == QLatin1String("force_open") &&
                    e.value("target").toString() == QLatin1String("breaker/svc"))
                    return e;
            }
            return QJsonObject();
        };
        QTRY_VERIFY(!clusterForce().isEmpty());
        QCOMPARE(clusterForce().value("instance").toString(), QString("i1"));
        QCOMPARE(clusterForce().value("actor").toString(), QString("alice"));
        QCOMPARE(clusterForce().value("reason").toString(), QString("db migration"));

        // A fourth instance, started now, refuses from its very first request.
        Member &late = fleet.add("i4");
        QVERIFY(startAll({&late}));
        QCOMPARE(HttpClient(late->proxyPort).get("/svc/ok")->status, 503);
        QVERIFY(forcedBy(late->breaker("svc"), "alice", "db migration"));
        QVERIFY(std::llabs(expiresAtMs(late->breaker("svc")) - expiresAtMs(onI1)) <= 5);
        QCOMPARE(HttpClient(late->proxyPort).get("/other/ok")->status, 200);
    }

    void everyInstanceKilledKeepsTheForce() {
        SKIP_WITHOUT_REDIS();
        Fleet fleet;
        startForced(fleet);
        if (QTest::currentTestFailed())
            return;
        const auto held = redisCommand(fleet.redis, {"HGET", "e2e:forced", "breaker/svc"});
        QVERIFY2(held.text.contains("\"db migration\"") && held.text.contains("\"alice\""),
                 held.text.constData());

        for (auto &m : fleet.members) {
            (*m)->process.kill(); // SIGKILL
            QVERIFY((*m)->process.waitForFinished(5000));
        }
        // i1 keeps its state directory; i2 and i3 start with none: what they know comes from Redis.
        fleet.members[0]->renew(false);
        fleet.members[1]->renew(true);
        fleet.members[2]->renew(true);
        QVERIFY(!QFile::exists(fleet.members[1]->dir->filePath("state/forced-states.json")));
        QVERIFY(startAll({fleet.members[0].get(), fleet.members[1].get(), fleet.members[2].get()}));
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(HttpClient(fleet[i].proxyPort).get("/svc/ok")->status, 503);
            const QJsonObject b = fleet[i].breaker("svc");
            QVERIFY2(forcedBy(b, "alice", "db migration"), QJsonDocument(b).toJson().constData());
            QVERIFY(b.value("expires_in_s").toDouble() > 3500);
            QCOMPARE(HttpClient(fleet[i].proxyPort).get("/other/ok")->status, 200);
        }
    }

    void redisKilledMidTrafficLosesNothingAndAllAgreeWhenItIsBack() {
        SKIP_WITHOUT_REDIS();
        Fleet fleet;
        startForced(fleet);
        if (QTest::currentTestFailed())
            return;

        Traffic traffic({fleet[0].proxyPort, fleet[1].proxyPort}, "/healthy/ok");
        QTRY_VERIFY(traffic.answered > 50);
        fleet.redis.kill(); // SIGKILL, mid-traffic
        const int atKill = traffic.answered;
        for (int i = 0; i < 3; ++i) {
            QTRY_COMPARE(sharedState(fleet[i]).value("link").toString(), QString("down"));
            QVERIFY(!sharedState(fleet[i]).value("problem").toString().isEmpty());
            QVERIFY2(metrics(fleet[i]).contains("\nbreakerboard_shared_state_connected 0\n"),
                     metrics(fleet[i]).constData());
        }

        // An operator acts on i2 meanwhile: it holds there, and only there for now.
        QCOMPARE(changeState(
                     fleet[1], "other",
                     R"({"state": "forced_open", "reason": "during the outage", "actor": "bob"})")
                     ->status,
                 200);
        QCOMPARE(HttpClient(fleet[1].proxyPort).get("/other/ok")->status, 503);
        QVERIFY(forcedBy(fleet[1].breaker("other"), "bob", "during the outage"));
        QVERIFY(sharedState(fleet[1]).value("unsent").toDouble() > 0);
        QCOMPARE(HttpClient(fleet[0].proxyPort).get("/other/ok")->status, 200);
        QTRY_VERIFY(traffic.answered > atKill + 50); // served all along, Redis or not

        QElapsedTimer clock;
        clock.start();
        QVERIFY2(fleet.redis.start(),
                 qPrintable(fleet.redis.error())); // empty: what it held died with it
        for (int i = 0; i < 3; ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(sharedState(fleet[i]).value("link").toString(),
                                      QString("connected"), 15000);
            QTRY_VERIFY(forcedBy(fleet[i].breaker("other"), "bob", "during the outage"));
            QTRY_COMPARE(sharedState(fleet[i]).value("unsent").toDouble(), 0.0);
            QVERIFY(metrics(fleet[i]).contains("\nbreakerboard_shared_state_connected 1\n"));
            QVERIFY(forcedBy(fleet[i].breaker("svc"), "alice", "db migration"));
            QCOMPARE(HttpClient(fleet[i].proxyPort).get("/other/ok")->status, 503);
        }
        qInfo("Redis back: every instance agreed %lld ms after it started again",
              qint64(clock.elapsed()));
        traffic.stop();
        qInfo("traffic: %d answered, %d wrong, %d lost", int(traffic.answered), int(traffic.wrong),
              int(traffic.lost));
        QCOMPARE(int(traffic.lost), 0);
        QCOMPARE(int(traffic.wrong), 0);
        // What i2 did meanwhile reached Redis, and the force from before the outage again.
        QVERIFY(redisCommand(fleet.redis, {"HGET", "e2e:forced", "breaker/other"})
                    .text.contains("\"during the outage\""));
        QVERIFY(redisCommand(fleet.redis, {"HGET", "e2e:forced", "breaker/svc"})
                    .text.contains("\"db migration\""));
    }

    void aPasswordFileIsReadAndAnUnreadableOneStopsTheStart()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis("s3cret pw");
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        TestUpstream up;
        QTemporaryDir dir;
        const QString config = QStringLiteral("circuit_breakers:\n"
                                              "  services:\n"
                                              "    svc: {upstream: %1/, route: /svc}\n"
                                              "shared_state:\n"
                                              "  redis: redis://127.0.0.1:%2/3\n"
                                              "  password_file: redis-password\n"
                                              "  cluster: locked\n")
                                   .arg(up.url())
                                   .arg(redis.port());
        Instance bb(dir, writeConfig(dir, config));
        bb.extraArguments = {QStringLiteral("--instance"), QStringLiteral("p1")};

        // Missing: one line naming the file, exit status 1, nothing started.
        bb.launch();
        QVERIFY(bb.process.waitForFinished(10000));
        QCOMPARE(bb.process.exitCode(), 1);
        const QByteArray why = bb.process.readAllStandardError();
        QVERIFY2(why.contains("redis-password"), why.constData());
        QVERIFY(!bb.out.contains("Breakerboard headless: proxy on"));

        writeConfig(dir, QStringLiteral("s3cret pw\n"), QStringLiteral("redis-password"));
        QVERIFY(bb.start());
        QTRY_COMPARE(sharedState(bb).value("link").toString(), QStringLiteral("connected"));
        QCOMPARE(sharedState(bb).value("redis").toString(), QStringLiteral("127.0.0.1:%1/3").arg(redis.port()));
        QVERIFY(!bb.out.contains("s3cret"));
        QCOMPARE(changeState(bb, "svc", R"({"state":"forced_open","actor":"alice","reason":"locked"})")->status, 200);
        bb::shared::RedisConnection authed;
        authed.connectTo(QStringLiteral("127.0.0.1"), redis.port(), 3, "s3cret pw");
        QTRY_VERIFY(call(authed, {"HGET", "locked:forced", "breaker/svc"}).text.contains("alice"));
    }

    void aCacheFilledThroughOneAnswersThroughAnother() {
        SKIP_WITHOUT_REDIS();
        Fleet fleet;
        QVERIFY2(fleet.redis.started(), qPrintable(fleet.redis.error()));
        QVERIFY(fleet.start(2));
        const auto fresh = HttpClient(fleet[0].proxyPort).get("/cached/big/5000");
        QCOMPARE(fresh->status, 200);
        QCOMPARE(fresh->body.size(), 5000);
        QCOMPARE(fresh->header("X-Fallback"), QByteArray());
        QCOMPARE(fleet.cacheUp->totalRequests(), 1);

        // In Redis under the service and the request's key.
        QTRY_COMPARE(redisCommand(fleet.redis, {"KEYS", "e2e:cache:cached:*"}).elements.size(),
                     std::size_t(1));

        fleet.cacheUp.reset(); // the upstream is gone: every call to it fails
        QElapsedTimer clock;
        clock.start();
        std::optional<Response> fallback;
        QTRY_VERIFY((fallback = HttpClient(fleet[1].proxyPort).get("/cached/big/5000"),
                     fallback && fallback->header("X-Fallback") == "cache"));
        qInfo("i2 answered from the cache i1 filled %lld ms after the upstream went away",
              qint64(clock.elapsed()));
        QCOMPARE(fallback->status, 200);
        QCOMPARE(fallback->body, fresh->body);
        QVERIFY(!fallback->header("Age").isEmpty());
        // An instance started now has read the entries Redis holds before its first request.
        Member &late = fleet.add("i3");
        QVERIFY(startAll({&late}));
        const auto first = HttpClient(late->proxyPort).get("/cached/big/5000");
        QCOMPARE(first->status, 200);
        QCOMPARE(first->header("X-Fallback"), QByteArray("cache"));
        QCOMPARE(first->body, fresh->body);
        // Another request, not cached anywhere, has nothing to fall back on.
        const auto uncached = HttpClient(fleet[1].proxyPort).get("/cached/big/6000");
        QVERIFY(uncached->status >= 500);
        QCOMPARE(uncached->header("X-Fallback"), QByteArray("none"));
    }
};

QTEST_GUILESS_MAIN(TestE2eCluster)
#include "tst_e2e_cluster.moc"
