// Bad client input: each gets its status and a closed connection, nothing
// reaches the upstream, the breaker hears nothing, other clients carry on.
#include "proxyrig.h"

using namespace bb;
using namespace bb::testing;

class TestProxyBadClients : public QObject {
    Q_OBJECT
private slots:
    void refusedWithStatusAndClosed_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::newRow("Content-Length and Transfer-Encoding")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "0\r\n\r\n")
            << 400;
        QTest::newRow("Transfer-Encoding then Content-Length")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                          "0\r\n\r\n")
            << 400;
        QTest::newRow("duplicate Content-Length, same value")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello")
            << 400;
        QTest::newRow("duplicate Content-Length, other value")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
            << 400;
        QTest::newRow("Content-Length list")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello") << 400;
        QTest::newRow("chunked not last")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n") << 400;
        QTest::newRow("obs-fold")
            << QByteArray("GET /a/ok HTTP/1.1\r\nHost: x\r\nX-Long: first\r\n second line\r\n\r\n") << 400;
        QTest::newRow("malformed chunk size")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n")
            << 400;
        QTest::newRow("negative Content-Length")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n") << 400;
        QTest::newRow("not HTTP") << QByteArray("HELLO THERE\r\n\r\n") << 400;
        QTest::newRow("header too large")
            << QByteArray("GET /a/ok HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(20000, 'h') + "\r\n\r\n") << 431;
        QTest::newRow("body too large")
            << QByteArray("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n") << 413;
    }

    void refusedWithStatusAndClosed()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        TestUpstream up;
        proxy::ProxyLimits limits;
        limits.maxBodyBytes = 1'000'000;
        ProxyRig rig(oneService(up), limits);
        HttpClient bad(rig.port());
        HttpClient good(rig.port());
        bad.send(raw);
        const auto r = bad.read();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/json"));
        QVERIFY(bad.waitClosed());
        QCOMPARE(up.totalRequests(), 0);
        QCOMPARE(rig.server->counters().badRequests.load(), 1u);
        const EngineSnapshot snapshot = rig.engine.snapshot();
        QCOMPARE(snapshot.breaker("a")->totals.failures + snapshot.breaker("a")->totals.successes, 0u);
        QCOMPARE(good.get("/a/ok")->status, 200);
    }

    void aSlowDripClientGets408AndFreesTheWorker()
    {
        TestUpstream up;
        proxy::ProxyLimits limits;
        limits.headerTimeout = std::chrono::milliseconds(300);
        ProxyRig rig(oneService(up), limits);
        HttpClient slow(rig.port());
        slow.send("GET /a/ok HTTP/1.1\r\n");
        HttpClient good(rig.port());
        QCOMPARE(good.get("/a/ok")->status, 200); // not held up meanwhile
        slow.send("Host: x\r\n");
        const auto r = slow.read(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(slow.waitClosed());
        QCOMPARE(up.requests("/ok"), 1);
    }

    void idleKeepAliveConnectionsAreClosed()
    {
        TestUpstream up;
        proxy::ProxyLimits limits;
        limits.idleTimeout = std::chrono::milliseconds(200);
        ProxyRig rig(oneService(up), limits);
        HttpClient client(rig.port());
        QCOMPARE(client.get("/a/ok")->status, 200);
        QVERIFY(client.waitClosed(3000));
    }

    void connectionsBeyondTheCapAreClosed()
    {
        TestUpstream up;
        proxy::ProxyLimits limits;
        limits.maxConnections = 3;
        ProxyRig rig(oneService(up), limits);
        std::vector<std::unique_ptr<HttpClient>> held;
        for (int i = 0; i < 3; ++i) {
            held.push_back(std::make_unique<HttpClient>(rig.port()));
            QCOMPARE(held.back()->get("/a/ok")->status, 200);
        }
        HttpClient extra(rig.port());
        QVERIFY(extra.waitClosed(3000));
        QVERIFY(rig.server->counters().connectionsRefused.load() >= 1u);
        held.clear();
        QTRY_COMPARE(rig.server->counters().connections.load(), std::uint64_t(0));
        HttpClient later(rig.port());
        QCOMPARE(later.get("/a/ok")->status, 200);
    }
};

QTEST_GUILESS_MAIN(TestProxyBadClients)
#include "tst_proxy_badclients.moc"
