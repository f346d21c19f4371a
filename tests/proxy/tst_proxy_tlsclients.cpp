// The proxy listening with TLS: clients that trust its certificate get
// their answers over HTTP/1.1 (ALPN http/1.1), one that speaks plain HTTP
// to the port gets no answer and harms no one, and a new certificate
// applies to the connections that come next while open ones keep going.
// A connection the accepting worker hands to another has its handshake
// there.
#include "common/testcerts.h"
#include "proxyrig.h"

#include <QSslSocket>

using namespace bb;
using namespace bb::testing;

namespace {
struct TlsProxy {
    explicit TlsProxy(const TestCerts &certs) : config(oneService(up))
    {
        installConfiguration(config, engine);
        routes = std::make_shared<const proxy::RouteTable>(config, engine);
        proxy::ProxyOptions options;
        options.port = 0;
        options.workers = 2;
        options.tls = serving(certs);
        server = std::make_unique<proxy::ProxyServer>(engine, routes, options);
        QString error;
        if (!server->start(&error))
            qFatal("proxy did not start: %s", qPrintable(error));
    }
    ~TlsProxy() { server->stop(std::chrono::milliseconds(1000)); }

    TestUpstream up;
    ManualClock clock{TimePoint(std::chrono::seconds(1000))};
    Engine engine{clock, clock};
    Configuration config;
    std::shared_ptr<const proxy::RouteTable> routes;
    std::unique_ptr<proxy::ProxyServer> server;
};
} // namespace

class TestProxyTlsClients : public QObject {
    Q_OBJECT
private slots:
    void clientsOverTlsGetTheirAnswers()
    {
        TestCertsDir dir;
        QVERIFY2(dir.certs.error.isEmpty(), qPrintable(dir.certs.error));
        TlsProxy proxy(dir.certs);
        HttpClient client(proxy.server->port(), trusting(dir.certs.caCert));
        QVERIFY(client.connected());
        for (int i = 0; i < 3; ++i) { // keep-alive over one TLS session
            const auto r = client.get("/a/hello");
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, QByteArray("/hello"));
        }
        QCOMPARE(proxy.up.connectionsAccepted(), 1);

        QSslSocket alpn;
        QSslConfiguration wanted = trusting(dir.certs.caCert);
        wanted.setAllowedNextProtocols({QByteArrayLiteral("h2"), QByteArrayLiteral("http/1.1")});
        alpn.setSslConfiguration(wanted);
        alpn.connectToHostEncrypted(QStringLiteral("127.0.0.1"), proxy.server->port());
        QVERIFY(alpn.waitForEncrypted(5000));
        QCOMPARE(alpn.sslConfiguration().nextNegotiatedProtocol(), QByteArray("http/1.1"));
    }

    void largeBodiesCrossIntactBothWays()
    {
        // More than the kernel's buffers hold: the proxy's writes over TLS
        // wait for the client to read, and its reads for the upstream.
        TestCertsDir dir;
        TlsProxy proxy(dir.certs);
        HttpClient client(proxy.server->port(), trusting(dir.certs.caCert));
        QVERIFY(client.connected());
        const auto down = client.get("/a/big/8000000");
        QVERIFY(down);
        QCOMPARE(down->status, 200);
        QCOMPARE(down->body.size(), 8000000);
        QByteArray block(64 * 1024, Qt::Uninitialized); // what the upstream sends, over and over
        for (qsizetype i = 0; i < block.size(); ++i)
            block[i] = char('a' + i % 26);
        for (qsizetype at = 0; at < down->body.size(); at += block.size())
            QVERIFY2(down->body.mid(at, block.size()) == block.first(std::min(block.size(), down->body.size() - at)),
                     qPrintable(QStringLiteral("at %1").arg(at)));
        QByteArray upload(3 * 1024 * 1024 + 17, Qt::Uninitialized);
        for (qsizetype i = 0; i < upload.size(); ++i)
            upload[i] = char('a' + (i * 7919) % 26);
        const auto echoed = client.request("POST", "/a/echo", upload);
        QVERIFY(echoed);
        QCOMPARE(echoed->status, 200);
        QCOMPARE(echoed->body.size(), upload.size());
        QVERIFY(echoed->body == upload);
        // And the connection goes on.
        QCOMPARE(client.get("/a/after")->body, QByteArray("/after"));
    }

    void plainHttpToTheTlsPortGetsNoAnswer()
    {
        TestCertsDir dir;
        TlsProxy proxy(dir.certs);
        HttpClient plain(proxy.server->port());
        plain.send("GET /a/hello HTTP/1.1\r\nHost: t\r\n\r\n");
        const QByteArray seen = plain.readUntilClosed(5000);
        QVERIFY2(!seen.contains("HTTP/1.1"), seen.constData());
        QVERIFY(!plain.connected());
        QCOMPARE(proxy.up.totalRequests(), 0);
        // Others are not harmed.
        HttpClient client(proxy.server->port(), trusting(dir.certs.caCert));
        QCOMPARE(client.get("/a/ok")->status, 200);
    }

    void aNewCertificateServesTheNextConnections()
    {
        TestCertsDir first;
        TestCertsDir second;
        QVERIFY2(second.certs.error.isEmpty(), qPrintable(second.certs.error));
        TlsProxy proxy(first.certs);
        HttpClient open(proxy.server->port(), trusting(first.certs.caCert));
        QCOMPARE(open.get("/a/before")->status, 200);

        proxy.server->setTls(serving(second.certs));
        // The connection open before goes on with its session.
        QCOMPARE(open.get("/a/after")->status, 200);
        // New ones meet the new certificate: the old CA no longer trusts it, the new one does.
        QTRY_VERIFY(!HttpClient(proxy.server->port(), trusting(first.certs.caCert)).connected());
        HttpClient renewed(proxy.server->port(), trusting(second.certs.caCert));
        QVERIFY(renewed.connected());
        QCOMPARE(renewed.get("/a/renewed")->status, 200);
    }

    void connectionsHandedToTheOtherWorkerShakeHandsThere()
    {
        TestCertsDir dir;
        TlsProxy proxy(dir.certs);
        std::vector<std::unique_ptr<HttpClient>> clients;
        for (int i = 0; i < 20; ++i) {
            clients.push_back(std::make_unique<HttpClient>(proxy.server->port(), trusting(dir.certs.caCert)));
            QVERIFY(clients.back()->connected());
            QCOMPARE(clients.back()->get("/a/hello")->body, QByteArray("/hello"));
        }
        QCOMPARE(proxy.server->connectionsPerWorker(), (std::vector<int>{10, 10}));
    }
};

QTEST_MAIN(TestProxyTlsClients)
#include "tst_proxy_tlsclients.moc"
