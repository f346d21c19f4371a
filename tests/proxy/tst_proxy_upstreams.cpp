// A misbehaving upstream costs one request its answer and the breaker one
// failure; other connections carry on and the proxy keeps running.
#include "freeport.h"
#include "proxyrig.h"

using namespace bb;
using namespace bb::testing;

namespace {

Configuration services(const TestUpstream &up)
{
    Configuration c;
    ServiceConfig a = service("a", up.url() + "/");
    a.timeout = std::chrono::milliseconds(400);
    c.services.push_back(a);
    c.services.push_back(service("dead", QStringLiteral("http://127.0.0.1:%1/").arg(freePort())));
    return c;
}

BreakerTotals totals(ProxyRig &rig, const char *name) { return rig.engine.snapshot().breaker(name)->totals; }
} // namespace

class TestProxyUpstreams : public QObject {
    Q_OBJECT
private slots:
    void refusedConnectionIs502AndOneFailure()
    {
        TestUpstream up;
        ProxyRig rig(services(up));
        HttpClient client(rig.port());
        const auto r = client.get("/dead/x");
        QVERIFY(r);
        QCOMPARE(r->status, 502);
        QVERIFY(r->body.contains("refused"));
        QCOMPARE(totals(rig, "dead").failures, 1u);
        QCOMPARE(rig.counted("dead", 1), 1u);
        QCOMPARE(rig.counters("dead").outcome(proxy::RequestOutcome::Failure), 1u);
        // Why, kept for the dashboard and the admin API.
        const proxy::FailureNote why = rig.counters("dead").lastFailure.get();
        QVERIFY2(QString::fromStdString(why.text).startsWith("upstream refused the connection: "), why.text.c_str());
        QVERIFY(why.wallMs > 0);
        QCOMPARE(client.get("/a/ok")->status, 200); // same connection, still fine
        QCOMPARE(rig.counters("a").lastFailure.get().wallMs, 0); // nothing failed there
    }

    void failureStatusesFailAndIgnoredStatusesAreIgnored()
    {
        TestUpstream up;
        ProxyRig rig(services(up));
        HttpClient client(rig.port());
        QCOMPARE(client.get("/a/status/500")->status, 500);
        QCOMPARE(client.get("/a/status/404")->status, 404);
        QCOMPARE(client.get("/a/status/302")->status, 302);
        rig.counted("a", 3);
        const auto t = totals(rig, "a");
        QCOMPARE(t.failures, 1u);
        QCOMPARE(t.ignored, 1u);
        QCOMPARE(t.successes, 1u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::Ignored), 1u);
    }

    void eachBadUpstreamCostsOneAnswer_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("status"); // 0: the connection is cut mid-response
        QTest::addColumn<bool>("timeout");
        QTest::newRow("hangs") << QByteArray("/a/hang") << 504 << true;
        QTest::newRow("sends garbage") << QByteArray("/a/garbage") << 502 << false;
        QTest::newRow("resets mid-body") << QByteArray("/a/reset") << 0 << false;
        QTest::newRow("drips slowly") << QByteArray("/a/drip") << 0 << true;
    }

    void eachBadUpstreamCostsOneAnswer()
    {
        QFETCH(QByteArray, path);
        QFETCH(int, status);
        QFETCH(bool, timeout);
        TestUpstream up;
        ProxyRig rig(services(up));
        HttpClient victim(rig.port());
        HttpClient bystander(rig.port());
        victim.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
        // While that one suffers, another connection is served.
        QCOMPARE(bystander.get("/a/ok")->status, 200);
        const auto r = victim.read(3000);
        if (status == 0) {
            QVERIFY(!r); // the head went out already: the connection is cut
            QVERIFY(victim.waitClosed());
        } else {
            QVERIFY(r);
            QCOMPARE(r->status, status);
            QCOMPARE(r->header("Content-Type"), QByteArray("application/json"));
        }
        QCOMPARE(rig.counted("a", 2), 2u);
        const auto t = totals(rig, "a");
        QCOMPARE(t.failures, 1u);
        QCOMPARE(t.timeouts, timeout ? 1u : 0u);
        QCOMPARE(rig.counters("a").outcome(timeout ? proxy::RequestOutcome::Timeout : proxy::RequestOutcome::Failure),
                 1u);
        QCOMPARE(bystander.get("/a/ok")->status, 200);
    }

    void outcomesAddUpToRequestsSent()
    {
        TestUpstream up;
        ProxyRig rig(services(up));
        const QList<QByteArray> paths = {"/a/ok", "/a/status/503", "/a/status/404", "/a/garbage", "/dead/x",
                                         "/a/echo", "/a/chunked"};
        int sent = 0;
        for (int round = 0; round < 3; ++round) {
            for (const auto &p : paths) {
                HttpClient client(rig.port());
                QVERIFY(client.get(p));
                ++sent;
            }
        }
        const std::uint64_t counted = rig.counted("a", 18) + rig.counted("dead", 3);
        QCOMPARE(counted, std::uint64_t(sent));
    }
};

QTEST_GUILESS_MAIN(TestProxyUpstreams)
#include "tst_proxy_upstreams.moc"
