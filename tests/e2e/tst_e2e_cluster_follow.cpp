// `breakers: follow` between three `breakerboard --headless` processes and a
// real redis-server, with real HTTP: when only one instance sees its
// upstream fail, all three open; once the wait is over the fleet sends at
// most `half_open.permitted_calls` trial calls upstream in all, and the
// instance whose trials succeed closes the breaker on every instance.
#include "clustertesting.h"
#include "testupstream.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>

using namespace bb::testing;

namespace {
// Count windows of 4, open at 50 %, a wait of 1.5 s, 3 trials that must all succeed.
QString followConfig(const QString &upstream, quint16 redisPort)
{
    return QStringLiteral("circuit_breakers:\n"
                          "  default:\n"
                          "    failure_threshold: 0.5\n"
                          "    volume_threshold: 4\n"
                          "    window: {type: count, size: 4}\n"
                          "    recovery_timeout: 1500\n"
                          "    half_open: {permitted_calls: 3, success_threshold: 3}\n"
                          "    backoff: {jitter: 0}\n"
                          "  services:\n"
                          "    svc:\n"
                          "      upstream: %1/\n"
                          "      route: /svc\n"
                          "shared_state:\n"
                          "  redis: redis://127.0.0.1:%2/0\n"
                          "  cluster: follow\n"
                          "  breakers: follow\n")
        .arg(upstream)
        .arg(redisPort);
}

QString stateOf(Instance &i)
{
    return json(i.admin("GET", "/api/v1/breakers/svc")).value("state").toString();
}
} // namespace

class TestE2eClusterFollow : public QObject {
    Q_OBJECT
private slots:
    void oneFailingUpstreamOpensAllAndTheFleetSendsOneSetOfTrials()
    {
        SKIP_WITHOUT_REDIS();
        RedisProcess redis;
        QVERIFY2(redis.started(), qPrintable(redis.error()));
        TestUpstream up;
        std::vector<std::unique_ptr<Member>> members;
        std::vector<Member *> all;
        for (const char *name : {"i1", "i2", "i3"}) {
            members.push_back(std::make_unique<Member>(name, followConfig(up.url(), redis.port())));
            all.push_back(members.back().get());
        }
        QVERIFY(startAll(all));
        Instance &i1 = **all[0];
        Instance &i3 = **all[2];

        // Only i1's calls fail; i2 and i3 see nothing but open as i1 did.
        HttpClient client(i1.proxyPort);
        for (int n = 0; n < 4; ++n)
            QCOMPARE(client.get("/svc/status/500")->status, 500);
        QTRY_COMPARE(stateOf(i1), QStringLiteral("open")); // as the next sample shows it
        // The decision reaches the others through Redis, which may take a
        // moment longer than i1's own sample: once each has it, it answers
        // 503 without a call upstream.
        QElapsedTimer sinceI1;
        sinceI1.start();
        for (Member *m : {all[1], all[2]}) {
            QTRY_COMPARE(stateOf(**m), QStringLiteral("open"));
            qInfo("%s open %lld ms after i1's sample", qPrintable(m->name), sinceI1.elapsed());
            QCOMPARE(HttpClient((**m).proxyPort).get("/svc/ok")->status, 503);
        }
        QCOMPARE(up.requests(QStringLiteral("/ok")), 0);
        const auto causeText = [&i3] {
            return json(i3.admin("GET", "/api/v1/breakers/svc")).value("cause").toObject().value("text").toString();
        };
        QTRY_VERIFY(causeText().contains(QStringLiteral("on \"i1\"")));
        QVERIFY2(causeText().contains(QStringLiteral("failure rate")), qPrintable(causeText()));

        // The wait ends everywhere at about the same time; one instance wins the trials.
        for (Member *m : all)
            QTRY_COMPARE_WITH_TIMEOUT(stateOf(**m), QStringLiteral("half_open"), 5000);
        // Held everywhere but on the instance that won the claim: 3 trials left in the fleet.
        const auto permitsLeft = [&all] {
            int left = 0;
            for (Member *m : all)
                left += json((**m).admin("GET", "/api/v1/breakers/svc")).value("half_open").toObject().value("permits_left").toInt();
            return left;
        };
        QTRY_COMPARE(permitsLeft(), 3);

        // Ten calls at once through each instance while the trials are under way (each takes 600 ms).
        std::vector<std::unique_ptr<HttpClient>> burst;
        for (Member *m : all)
            for (int n = 0; n < 10; ++n) {
                burst.push_back(std::make_unique<HttpClient>((*m)->proxyPort));
                burst.back()->send("GET /svc/slow/600 HTTP/1.1\r\nHost: t\r\n\r\n");
            }
        int passed = 0;
        int rejected = 0;
        for (auto &c : burst) {
            const auto r = c->read(5000);
            QVERIFY(r);
            ++(r->status == 200 ? passed : rejected);
            QVERIFY2(r->status == 200 || r->status == 503, qPrintable(QString::number(r->status)));
        }
        QCOMPARE(up.requests(QStringLiteral("/slow/600")), 3);
        QCOMPARE(passed, 3);
        QCOMPARE(rejected, 27);

        // Those three succeeded: closed on the instance that ran them, and so everywhere.
        for (Member *m : all)
            QVERIFY2(untilStatus(**m, "/svc/ok", 200) >= 0, qPrintable(m->name));
        for (Member *m : all)
            QTRY_COMPARE(stateOf(**m), QStringLiteral("closed"));
    }
};

QTEST_MAIN(TestE2eClusterFollow)
#include "tst_e2e_cluster_follow.moc"
