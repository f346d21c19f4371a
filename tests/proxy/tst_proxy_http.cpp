// The proxy speaks HTTP/1.1 properly: routing, keep-alive, pipelining,
// chunked and large bodies both ways, 100-continue, hop-by-hop and
// forwarding headers, it is never an open proxy, and its workers hold as
// many connections as each other.
#include "proxyrig.h"

#include <filesystem>
#include <numeric>

using namespace bb;
using namespace bb::testing;

namespace {
Configuration twoServices(const TestUpstream &up)
{
    Configuration c;
    c.services.push_back(service("a", up.url() + "/"));
    ServiceConfig b = service("b", up.url() + "/");
    b.routes = {{"", "b.test"}};
    c.services.push_back(b);
    ServiceConfig v = service("v", up.url() + "/headers/v1");
    c.services.push_back(v);
    return c;
}

int connectionsHeld(const proxy::ProxyServer &server)
{
    const std::vector<int> counts = server.connectionsPerWorker();
    return std::accumulate(counts.begin(), counts.end(), 0);
}
} // namespace

class TestProxyHttp : public QObject {
    Q_OBJECT
private slots:
    void routesByPathPrefixAndHost()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        auto r = client.get("/a/ok");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("ok"));
        QCOMPARE(r->header("X-Breaker-State"), QByteArray("closed"));
        QCOMPARE(r->header("Via"), QByteArray("1.1 breakerboard"));

        client.send("GET /status/201 HTTP/1.1\r\nHost: b.test:8080\r\n\r\n");
        r = client.read();
        QVERIFY(r);
        QCOMPARE(r->status, 201);
        QCOMPARE(rig.counters("a").outcome(proxy::RequestOutcome::Success), 1u);
        QCOMPARE(rig.counters("b").outcome(proxy::RequestOutcome::Success), 1u);
    }

    void aBasePathReplacesTheRoutePrefix()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        const auto r = client.get("/v/users?id=7");
        QVERIFY(r);
        QVERIFY2(r->body.startsWith("GET /headers/v1/users?id=7\n"), r->body.constData());
    }

    void noRouteIs404WithJson()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        const auto r = client.get("/nowhere/x");
        QVERIFY(r);
        QCOMPARE(r->status, 404);
        QCOMPARE(r->header("Content-Type"), QByteArray("application/json"));
        QVERIFY(r->body.contains("no service is routed for /nowhere/x"));
        QCOMPARE(rig.server->counters().unrouted.load(), 1u);
        QCOMPARE(up.totalRequests(), 0);
        // The connection stays usable.
        QCOMPARE(client.get("/a/ok")->status, 200);
    }

    void keepAliveReusesOneUpstreamConnection()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        for (int i = 0; i < 25; ++i) {
            const auto r = client.get("/a/ok");
            QVERIFY(r);
            QCOMPARE(r->status, 200);
        }
        QCOMPARE(up.connectionsAccepted(), 1);
        QCOMPARE(rig.counted("a", 25), 25u);
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        client.send("GET /a/slow/150 HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /a/ok HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /a/status/202 HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto first = client.read();
        const auto second = client.read();
        const auto third = client.read();
        QVERIFY(first && second && third);
        QCOMPARE(first->body, QByteArray("slow"));
        QCOMPARE(second->body, QByteArray("ok"));
        QCOMPARE(third->status, 202);
    }

    void chunkedBodiesBothWays()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        client.send("POST /a/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "4\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n\r\n");
        auto r = client.read();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("Wikipedia in\r\n\r\nchunks."));

        r = client.get("/a/chunked");
        QVERIFY(r);
        QCOMPARE(r->head.chunked, true);
        QCOMPARE(r->body, QByteArray("alphabetagamma"));

        // A body that ends when the upstream closes reaches the client chunked.
        r = client.get("/a/close");
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("body until close"));
        QCOMPARE(client.get("/a/ok")->status, 200);
    }

    void largeBodiesStreamThrough()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        QCOMPARE(largeBodiesRoundTrip(client, "/a"), QString());
    }

    void expectContinueIsAnsweredBeforeTheBody()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        client.send("PUT /a/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
        const auto interim = client.read();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        client.send("hello world");
        const auto r = client.read();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("hello world"));
    }

    void hopByHopFieldsGoAndForwardingFieldsCome()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        const auto r = client.get("/a/headers", "Connection: keep-alive, X-Secret\r\nX-Secret: 1\r\n"
                                                "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\n"
                                                "X-Forwarded-For: 10.1.1.1\r\nX-Kept: yes\r\n");
        QVERIFY(r);
        const QByteArray seen = r->body;
        QVERIFY2(!seen.contains("X-Secret"), seen.constData());
        QVERIFY(!seen.contains("Keep-Alive"));
        QVERIFY(!seen.contains("Proxy-Authorization"));
        QVERIFY(seen.contains("X-Kept: yes\n"));
        QVERIFY(seen.contains("X-Forwarded-For: 10.1.1.1, 127.0.0.1\n"));
        QVERIFY(seen.contains("X-Forwarded-Proto: http\n"));
        QVERIFY(seen.contains("Via: 1.1 breakerboard\n"));
        QVERIFY(seen.contains("Host: 127.0.0.1:"));
    }

    void repeatedConnectionAndForwardingFieldsCountAsOneList()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        const auto r = client.get("/a/headers", "Connection: keep-alive\r\nConnection: X-Hop\t\r\nX-Hop: secret\r\n"
                                                "X-Forwarded-For: 10.1.1.1\r\nX-Forwarded-For: 10.2.2.2\r\n"
                                                "Via: 1.1 a\r\nVia: 1.1 b\r\n");
        QVERIFY(r);
        const QByteArray seen = r->body;
        QVERIFY2(!seen.contains("X-Hop"), seen.constData());
        QVERIFY2(seen.contains("X-Forwarded-For: 10.1.1.1, 10.2.2.2, 127.0.0.1\n"), seen.constData());
        QVERIFY2(seen.contains("Via: 1.1 a, 1.1 b, 1.1 breakerboard\n"), seen.constData());
    }

    void headResponsesHaveNoBody()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        HttpClient client(rig.port());
        client.send("HEAD /a/big/1000 HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto r = client.read(5000, true);
        QVERIFY(r);
        QCOMPARE(r->header("Content-Length"), QByteArray("1000"));
        QVERIFY(r->body.isEmpty());
        QCOMPARE(client.get("/a/ok")->body, QByteArray("ok"));
    }

    void neverAnOpenProxy()
    {
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        {
            HttpClient client(rig.port());
            client.send("GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n");
            const auto r = client.read();
            QVERIFY(r);
            QCOMPARE(r->status, 403);
            QVERIFY(client.waitClosed());
        }
        {
            HttpClient client(rig.port());
            client.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            const auto r = client.read();
            QVERIFY(r);
            QCOMPARE(r->status, 403);
        }
        {
            // Absolute form for a host it serves is fine.
            HttpClient client(rig.port());
            client.send("GET http://b.test/status/204 HTTP/1.1\r\nHost: b.test\r\n\r\n");
            const auto r = client.read();
            QVERIFY(r);
            QCOMPARE(r->status, 204);
        }
        QCOMPARE(rig.server->counters().refused.load(), 2u);
        QCOMPARE(up.totalRequests(), 1);
    }

    void connectionsAreSpreadEvenlyOverTheWorkers()
    {
        // The kernel's hash alone splits 100 connections 50 to 50 one time
        // in twelve; a worker that accepts one while the other holds fewer
        // hands it over, and the connection works there.
        TestUpstream up;
        ProxyRig rig(twoServices(up));
        std::vector<std::unique_ptr<HttpClient>> clients;
        const auto open = [&](int count) {
            for (int i = 0; i < count; ++i) {
                clients.push_back(std::make_unique<HttpClient>(rig.port()));
                const auto r = clients.back()->get("/a/ok");
                QVERIFY(r);
                QCOMPARE(r->body, QByteArray("ok"));
            }
        };
        open(100);
        QCOMPARE(rig.server->connectionsPerWorker(), (std::vector<int>{50, 50}));

        // Some close, whichever workers held them; as many new ones even them out.
        for (std::size_t i = 0; i < clients.size(); i += 3)
            clients[i].reset();
        std::erase(clients, nullptr);
        QTRY_COMPARE(connectionsHeld(*rig.server), 66);
        open(34);
        QCOMPARE(rig.server->connectionsPerWorker(), (std::vector<int>{50, 50}));
        for (auto &client : clients) // each still answered, on whichever worker holds it
            QCOMPARE(client->get("/a/ok")->status, 200);
        QCOMPARE(rig.counted("a", 234), 234u);
    }

    void aStopAmidAFloodOfConnectionsLeavesNoDescriptorOpen()
    {
        // Connections still being handed from one worker to another as the
        // proxy stops are closed with the rest, not lost on the way.
        TestUpstream up;
        const auto openDescriptors = [] {
            return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                 std::filesystem::directory_iterator());
        };
        { // what Qt opens once, on first use, is not counted; nothing goes upstream
            ProxyRig warmUp(twoServices(up));
            QCOMPARE(HttpClient(warmUp.port()).get("/nowhere")->status, 404);
        }
        const auto before = openDescriptors();
        {
            ProxyRig rig(twoServices(up));
            std::vector<std::unique_ptr<QTcpSocket>> flood;
            for (int i = 0; i < 300; ++i) {
                flood.push_back(std::make_unique<QTcpSocket>());
                flood.back()->connectToHost(QHostAddress::LocalHost, rig.port());
            }
            QTRY_VERIFY(connectionsHeld(*rig.server) >= 100);
            rig.server->stop(std::chrono::milliseconds(0));
        }
        QTRY_COMPARE(openDescriptors(), before);
    }
};

QTEST_GUILESS_MAIN(TestProxyHttp)
#include "tst_proxy_http.moc"
