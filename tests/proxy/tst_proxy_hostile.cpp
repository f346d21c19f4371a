// A client that tries to smuggle, to climb past a base path, or to open a
// breaker by stalling: refused or timed out as the client's own doing, the
// upstream sees nothing it should not, and the breaker hears nothing.
#include "proxyrig.h"

using namespace bb;
using namespace bb::testing;

namespace {
proxy::ProxyLimits quickBodyLimits()
{
    proxy::ProxyLimits limits;
    limits.bodyIdleTimeout = std::chrono::milliseconds(300);
    limits.bodyTimeout = std::chrono::milliseconds(900);
    return limits;
}
} // namespace

class TestProxyHostile : public QObject {
    Q_OBJECT
private slots:
    void refusedBeforeAByteGoesUpstream_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        const QByteArray post = "POST /a/echo HTTP/1.1\r\nHost: x\r\n";
        const QByteArray smuggled = "\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /a/secret HTTP/1.1\r\nHost: x\r\n\r\n";
        QTest::newRow("xchunked") << post + "Transfer-Encoding: xchunked" + smuggled << 400;
        QTest::newRow("chunked, chunked") << post + "Transfer-Encoding: chunked, chunked" + smuggled << 400;
        QTest::newRow("identity;chunked") << post + "Transfer-Encoding: identity;chunked" + smuggled << 400;
        QTest::newRow("gzip, xchunked") << post + "Transfer-Encoding: gzip, xchunked" + smuggled << 400;
        QTest::newRow("two fields, chunked twice")
            << post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked" + smuggled << 400;
        QTest::newRow("empty coding") << post + "Transfer-Encoding: , chunked" + smuggled << 400;
        QTest::newRow("gzip, chunked") << post + "Transfer-Encoding: gzip, chunked" + smuggled << 501;
        QTest::newRow("Transfer-Encoding in HTTP/1.0")
            << QByteArray("POST /a/echo HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked") + smuggled << 400;
        QTest::newRow("no Host") << QByteArray("GET /a/ok HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("two Hosts") << QByteArray("GET /a/ok HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n") << 400;
        QTest::newRow("Host not a host") << QByteArray("GET /a/ok HTTP/1.1\r\nHost: x y\r\n\r\n") << 400;
        QTest::newRow("climbs above the root") << QByteArray("GET /a/../../secret HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("encoded dots above the root")
            << QByteArray("GET /a/%2e%2e/%2E%2E/secret HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("dots behind an encoded slash")
            << QByteArray("GET /a/..%2f..%2fsecret HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("dots behind a backslash") << QByteArray("GET /a/..\\..\\secret HTTP/1.1\r\nHost: x\r\n\r\n")
                                                 << 400;
        QTest::newRow("fragment") << QByteArray("GET /a/ok#x HTTP/1.1\r\nHost: x\r\n\r\n") << 400;
        QTest::newRow("CONNECT") << QByteArray("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n") << 403;
        QTest::newRow("absolute form, another host")
            << QByteArray("GET http://example.org/a/ok HTTP/1.1\r\nHost: example.org\r\n\r\n") << 403;
    }

    void refusedBeforeAByteGoesUpstream()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        TestUpstream up;
        ProxyRig rig(oneService(up));
        HttpClient bad(rig.port());
        bad.send(raw);
        const auto r = bad.read();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QVERIFY(bad.waitClosed());
        QCOMPARE(up.totalRequests(), 0);
        QCOMPARE(rig.counters("a").total(), 0u);
        const EngineSnapshot snapshot = rig.engine.snapshot();
        QCOMPARE(snapshot.breaker("a")->totals.failures + snapshot.breaker("a")->totals.successes, 0u);
    }

    void dotSegmentsAreResolvedBeforeRoutingAndPrefixReplacement_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("upstreamPath"); // empty: no route, 404
        QTest::newRow("inside the route") << QByteArray("/v2api/x/../y") << QByteArray("/base/y");
        QTest::newRow("encoded, inside") << QByteArray("/v2api/x/%2e%2E/y?q=..") << QByteArray("/base/y");
        QTest::newRow("single dots") << QByteArray("/v2api/./y/.") << QByteArray("/base/y/");
        QTest::newRow("out of the route") << QByteArray("/v2api/../y") << QByteArray();
        QTest::newRow("into the route") << QByteArray("/other/../v2api/y") << QByteArray("/base/y");
    }

    void dotSegmentsAreResolvedBeforeRoutingAndPrefixReplacement()
    {
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, upstreamPath);
        TestUpstream up;
        Configuration c;
        c.services.push_back(service("a", up.url() + "/base/"));
        c.services.back().routes = {{"/v2api", ""}};
        ProxyRig rig(c);
        HttpClient client(rig.port());
        client.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto r = client.read();
        QVERIFY(r);
        if (upstreamPath.isEmpty()) {
            QCOMPARE(r->status, 404);
            QCOMPARE(up.totalRequests(), 0);
            return;
        }
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, upstreamPath); // the test upstream answers with the path it was asked for
        QCOMPARE(up.totalRequests(), 1);
    }

    void stalledBodiesAreTheClientsAndLeaveTheBreakerClosed()
    {
        TestUpstream up;
        Configuration c = oneService(up);
        c.services.back().policy.minimumCalls = 4;
        ProxyRig rig(c, quickBodyLimits());
        for (int i = 0; i < 4; ++i) {
            HttpClient stalling(rig.port());
            stalling.send("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nfour");
            const auto r = stalling.read(3000);
            QVERIFY(r);
            QCOMPARE(r->status, 408);
            QVERIFY(stalling.waitClosed(3000));
        }
        QCOMPARE(rig.counted("a", 4), 4u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::ClientTimeout), 4u);
        QCOMPARE(rig.breaker("a").state(), BreakerState::Closed);
        const EngineSnapshot snapshot = rig.engine.snapshot();
        QCOMPARE(snapshot.breaker("a")->totals.failures + snapshot.breaker("a")->totals.successes, 0u);
        HttpClient good(rig.port());
        QCOMPARE(good.request("POST", "/a/echo", "hello")->body, QByteArray("hello"));
    }

    void aTrickledBodyEndsAtTheBodyTimeout()
    {
        TestUpstream up;
        ProxyRig rig(oneService(up), quickBodyLimits());
        HttpClient trickling(rig.port());
        trickling.send("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
        QElapsedTimer clock;
        clock.start();
        std::optional<Response> r;
        for (int i = 0; i < 40 && !r; ++i) {
            trickling.send("x"); // always within the 300 ms between bytes
            r = trickling.read(100);
        }
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(clock.elapsed() >= 900); // never before the body timeout
        QVERIFY(trickling.waitClosed(3000));
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::ClientTimeout), 1u);
    }

    void theServicesTimeoutStartsOnceTheRequestIsSent()
    {
        TestUpstream up;
        Configuration c = oneService(up);
        c.services.back().timeout = std::chrono::milliseconds(400);
        proxy::ProxyLimits limits;
        limits.bodyIdleTimeout = std::chrono::milliseconds(2000);
        ProxyRig rig(c, limits);
        HttpClient slowSender(rig.port());
        slowSender.send("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nab");
        QTest::qWait(300);
        slowSender.send("cd");
        QTest::qWait(300);
        slowSender.send("ef"); // 600 ms after the head: longer than the service's timeout
        const auto r = slowSender.read();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("abcdef"));
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::Success), 1u);
    }

    void aClientThatReadsNothingIsCut()
    {
        TestUpstream up;
        proxy::ProxyLimits limits;
        limits.sendTimeout = std::chrono::milliseconds(300);
        ProxyRig rig(oneService(up), limits);
        HttpClient notReading(rig.port());
        notReading.socket().setReadBufferSize(1);
        notReading.send("GET /a/big/50000000 HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(rig.counted("a", 1), 1u);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::ClientTimeout), 1u);
        QCOMPARE(rig.breaker("a").state(), BreakerState::Closed);
    }

    void noDeadlineIsReachedEarly()
    {
        TestUpstream up;
        proxy::ProxyLimits limits = quickBodyLimits();
        limits.headerTimeout = std::chrono::milliseconds(350);
        limits.idleTimeout = std::chrono::milliseconds(350);
        ProxyRig rig(oneService(up), limits);
        QElapsedTimer clock;
        for (int round = 0; round < 3; ++round) {
            HttpClient slowHead(rig.port());
            clock.start();
            slowHead.send("GET /a/ok HTTP/1.1\r\n");
            const auto r = slowHead.read(3000);
            QVERIFY(r);
            QCOMPARE(r->status, 408);
            QVERIFY2(clock.elapsed() >= 350, qPrintable(QString::number(clock.elapsed())));

            HttpClient slowBody(rig.port());
            slowBody.send("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab");
            QTest::qWait(100);
            clock.start();
            slowBody.send("c"); // the last byte: 300 ms from here at the soonest
            QCOMPARE(slowBody.read(3000)->status, 408);
            QVERIFY2(clock.elapsed() >= 300, qPrintable(QString::number(clock.elapsed())));

            HttpClient idle(rig.port());
            QCOMPARE(idle.get("/a/ok")->status, 200);
            clock.start();
            QVERIFY(idle.waitClosed(3000));
            // The proxy's wait began as it sent the answer, a little before it arrived here.
            QVERIFY2(clock.elapsed() >= 330, qPrintable(QString::number(clock.elapsed())));
        }
    }

    void connectionsCloseAfterTheirTimeoutWhateverTheyWaitFor()
    {
        TestUpstream up;
        proxy::ProxyLimits limits = quickBodyLimits();
        limits.idleTimeout = std::chrono::milliseconds(300);
        limits.headerTimeout = std::chrono::milliseconds(300);
        ProxyRig rig(oneService(up), limits);
        HttpClient neverSpoke(rig.port());
        HttpClient afterAnAnswer(rig.port());
        QCOMPARE(afterAnAnswer.get("/a/ok")->status, 200);
        HttpClient afterA404(rig.port());
        QCOMPARE(afterA404.get("/nowhere")->status, 404);
        HttpClient halfAHead(rig.port());
        halfAHead.send("GET /a/ok HTTP/1.1\r\n");
        HttpClient bodyAfterARejection(rig.port());
        QVERIFY(rig.breaker("a").apply({OperatorAction::ForceOpen, "test", "closed for the test", {}}).empty());
        bodyAfterARejection.send("POST /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nfour");
        QCOMPARE(bodyAfterARejection.read()->status, 503);
        for (HttpClient *c : {&neverSpoke, &afterAnAnswer, &afterA404, &halfAHead, &bodyAfterARejection})
            QVERIFY(c->waitClosed(3000));
    }
};

QTEST_GUILESS_MAIN(TestProxyHostile)
#include "tst_proxy_hostile.moc"
