// Upstreams over HTTPS, against a real nginx with certificates made by
// openssl for this run: calls succeed against the service's CA, present a
// client certificate when asked and send the server name as SNI; sessions
// are resumed and connections pooled; and every way a handshake fails costs
// the call a 502 and the breaker one failure, with a cause that says what
// failed.
#include "common/testcerts.h"
#include "fakedns.h"
#include "nginxprocess.h"
#include "proxyrig.h"
#include "testupstream.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTcpServer>

#include <functional>
#include <thread>

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace bb;
using namespace bb::testing;

namespace {

// What nginx knows of each call, as its answer.
const QString kFacts = QStringLiteral(
    "    location / { return 200 \"sni=$ssl_server_name reused=$ssl_session_reused conn=$connection "
    "client=$ssl_client_s_dn\\n\"; }\n");

QString httpsServer(const QString &cert, const QString &key, const QString &extra = {})
{
    return QStringLiteral("    ssl_certificate %1;\n    ssl_certificate_key %2;\n%3").arg(cert, key, extra) + kFacts;
}

// The test CA, the client certificates, and server certificates for the
// server's key: a good one, one for another name, one long expired and
// one from a CA nobody trusts.
struct Certificates {
    TestCertsDir tls;
    QString good = tls.path("api.pem"), wrongName = tls.path("wrong.pem"), expired = tls.path("expired.pem"),
            untrusted = tls.path("untrusted.pem");
    bool made = tls.certs.error.isEmpty() && makeClientCerts(tls.dir.path(), tls.certs) &&
                makeServerCert(tls.dir.path(), tls.certs, good, QStringLiteral("DNS:api.example.com")) &&
                makeServerCert(tls.dir.path(), tls.certs, wrongName, QStringLiteral("DNS:wrong.example")) &&
                makeServerCert(tls.dir.path(), tls.certs, expired, QStringLiteral("DNS:api.example.com"),
                               {QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"),
                                QStringLiteral("-enddate"), QStringLiteral("20200102000000Z")}) &&
                makeServerCert(tls.dir.path(), tls.certs, untrusted, QStringLiteral("DNS:api.example.com"),
                               {QStringLiteral("-days"), QStringLiteral("2")}, true);
    UpstreamTls trustingTestCa() const
    {
        UpstreamTls t;
        t.caFile = tls.certs.caCert.toStdString();
        return t;
    }
};

// Services at https://api.example.com:PORT/, which the resolver has at
// 127.0.0.1, each with its own tls: settings (none: the defaults).
struct HttpsRig {
    HttpsRig(quint16 port, const std::vector<std::pair<std::string, std::optional<UpstreamTls>>> &services,
             std::chrono::milliseconds timeout = std::chrono::milliseconds(2000))
        : rig(configure(port, services, timeout), {}, dnsWithApi())
    {
    }
    static Configuration configure(quint16 port,
                                   const std::vector<std::pair<std::string, std::optional<UpstreamTls>>> &services,
                                   std::chrono::milliseconds timeout)
    {
        Configuration c;
        for (const auto &[name, tls] : services) {
            ServiceConfig s = service(name, QStringLiteral("https://api.example.com:%1/").arg(port));
            s.tls = tls;
            s.timeout = timeout;
            c.services.push_back(s);
        }
        return c;
    }
    proxy::HostLookup dnsWithApi()
    {
        dns.set(QStringLiteral("api.example.com"), {QStringLiteral("127.0.0.1")});
        return dns.lookup();
    }

    FakeDns dns;
    ProxyRig rig;
};

// The 502's message, which is also the cause kept for the service.
QString messageOf(const Response &r)
{
    return QJsonDocument::fromJson(r.body).object().value(QStringLiteral("message")).toString();
}

// One fact nginx gave (field k of kFacts) for each of n calls, made one
// after another over one client connection, so through one worker; a call
// that did not get 200 gives its status instead.
QByteArrayList factOfCalls(quint16 proxyPort, int n, int k)
{
    HttpClient client(proxyPort);
    QByteArrayList facts;
    for (int i = 0; i < n; ++i) {
        const auto r = client.get("/a/x");
        facts += r && r->status == 200 ? r->body.trimmed().split(' ').value(k)
                                       : "status " + QByteArray::number(r ? r->status : 0);
    }
    return facts;
}

// A loopback server on its own thread (the test's waits on the proxy block
// its own loop) that hands each connection it accepts to serve, then
// closes it.
class RawServer {
public:
    explicit RawServer(std::function<void(int)> serve)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in at{};
        at.sin_family = AF_INET;
        at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof at;
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&at), sizeof at) != 0 || ::listen(m_fd, 8) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&at), &length) != 0)
            return;
        m_port = ntohs(at.sin_port);
        m_thread = std::thread([fd = m_fd, serve = std::move(serve)] {
            for (int c; (c = ::accept(fd, nullptr, nullptr)) >= 0; ::close(c))
                serve(c);
        });
    }
    ~RawServer()
    {
        ::shutdown(m_fd, SHUT_RDWR); // wakes accept
        if (m_thread.joinable())
            m_thread.join();
        ::close(m_fd);
    }
    quint16 port() const { return m_port; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    std::thread m_thread;
};

// Answers whatever a connection first sends with an HTTP 400 in plain text.
void answerInPlainText(int fd)
{
    char bytes[4096];
    static const char kAnswer[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    if (::read(fd, bytes, sizeof bytes) > 0 && ::write(fd, kAnswer, sizeof kAnswer - 1) > 0)
        [[maybe_unused]] const ssize_t end = ::read(fd, bytes, sizeof bytes); // until the client lets go
}

// Over TLS with the given certificate: reads the request, then resets the
// connection.
std::function<void(int)> resetAfterTheRequest(const QString &cert, const QString &key)
{
    return [cert = cert.toStdString(), key = key.toStdString()](int fd) {
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
        SSL *ssl = nullptr;
        if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) == 1 &&
            SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) == 1 && (ssl = SSL_new(ctx)) &&
            SSL_set_fd(ssl, fd) == 1 && SSL_accept(ssl) == 1) {
            char bytes[4096];
            if (SSL_read(ssl, bytes, sizeof bytes) > 0) {
                const linger reset{1, 0};
                ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
            }
        }
        SSL_free(ssl);
        SSL_CTX_free(ctx);
    };
}

} // namespace

class TestProxyHttpsUpstreams : public QObject {
    Q_OBJECT

    // nginx serving HTTPS with cert, and extra lines in its server block.
    std::unique_ptr<NginxProcess> serve(const QString &cert, const QString &extra = {}) const
    {
        return std::make_unique<NginxProcess>(httpsServer(cert, m_certs->tls.certs.serverKey, extra), QString(), 1,
                                              QStringLiteral(" ssl"));
    }

    // A call that fails in the handshake: 502 with the cause, one failure
    // for the breaker, the same cause kept as the service's last failure.
    void expectTlsFailure(HttpsRig &https, const QString &cause)
    {
        HttpClient client(https.rig.port());
        const auto r = client.get("/a/x");
        QVERIFY(r);
        QCOMPARE(r->status, 502);
        const QString message = messageOf(*r);
        QCOMPARE(message, cause);
        QCOMPARE(https.rig.counted("a", 1), 1u);
        QCOMPARE(https.rig.counters("a").outcome(proxy::RequestOutcome::Failure), 1u);
        const BreakerTotals totals = https.rig.engine.snapshot().breaker("a")->totals;
        QCOMPARE(totals.failures, 1u);
        QCOMPARE(totals.timeouts, 0u);
        QCOMPARE(QString::fromStdString(https.rig.counters("a").lastFailure.get().text), message);
    }

    // nginx's protocols, as lines of its server block.
    static void protocolRows()
    {
        QTest::addColumn<QString>("protocol");
        QTest::newRow("TLS 1.2") << QStringLiteral("    ssl_protocols TLSv1.2;\n");
        QTest::newRow("TLS 1.3") << QStringLiteral("    ssl_protocols TLSv1.3;\n");
    }

    // Service a, trusting the test CA, in front of an upstream on port that
    // misbehaves: the message of the 502 a call gets, once the breaker has
    // counted it as one failure; otherwise what came instead.
    QString failureMessageVia(quint16 port)
    {
        HttpsRig https(port, {{"a", m_certs->trustingTestCa()}});
        HttpClient client(https.rig.port());
        const auto r = client.get("/a/x");
        if (!r)
            return QStringLiteral("no answer");
        if (r->status != 502)
            return QStringLiteral("status %1").arg(r->status);
        const std::uint64_t failures = https.rig.engine.snapshot().breaker("a")->totals.failures;
        if (failures != 1)
            return QStringLiteral("%1 failures counted").arg(failures);
        return messageOf(*r);
    }

    std::unique_ptr<Certificates> m_certs;

private slots:
    void initTestCase()
    {
        m_certs = std::make_unique<Certificates>();
        QVERIFY2(m_certs->made, qPrintable(m_certs->tls.certs.error));
    }

    void callsGoThroughVerifiedAgainstTheServiceCa()
    {
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good);
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", m_certs->trustingTestCa()}});
        HttpClient client(https.rig.port());
        const auto r = client.get("/a/x");
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        // The URL's host went as SNI: the name the certificate is checked for.
        QVERIFY2(r->body.startsWith("sni=api.example.com "), r->body.constData());
        QCOMPARE(https.rig.counted("a", 1), 1u);
        QCOMPARE(https.rig.counters("a").outcome(proxy::RequestOutcome::Success), 1u);
    }

    void certificateFailuresSayWhy_data()
    {
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<bool>("trustTestCa"); // else the system store
        QTest::addColumn<QString>("cause");
        const QString untrusted =
            QStringLiteral("TLS: certificate for api.example.com is not trusted (its issuer \"%1\" is not among the "
                           "trusted CAs)");
        QTest::newRow("system store") << m_certs->good << false << untrusted.arg(QStringLiteral("Breakerboard test CA"));
        QTest::newRow("other CA") << m_certs->untrusted << true << untrusted.arg(QStringLiteral("Another test CA"));
        QTest::newRow("wrong name") << m_certs->wrongName << true
                                    << QStringLiteral("TLS: certificate for wrong.example does not match api.example.com");
        QTest::newRow("expired") << m_certs->expired << true
                                 << QStringLiteral("TLS: certificate for api.example.com expired on 2020-01-02T00:00:00Z");
    }

    void certificateFailuresSayWhy()
    {
        QFETCH(QString, certificate);
        QFETCH(bool, trustTestCa);
        QFETCH(QString, cause);
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(certificate);
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", trustTestCa ? std::optional(m_certs->trustingTestCa()) : std::nullopt}});
        expectTlsFailure(https, cause);
    }

    void theSystemStoreIsWhereOpenSslLooks_data()
    {
        QTest::addColumn<QByteArray>("variable");
        QTest::newRow("SSL_CERT_FILE") << QByteArrayLiteral("SSL_CERT_FILE");
        QTest::newRow("SSL_CERT_DIR") << QByteArrayLiteral("SSL_CERT_DIR");
    }

    // Without ca_file, the test CA is trusted once the system store holds
    // it: as a file of CAs, or in a hashed directory (as openssl rehash
    // makes them).
    void theSystemStoreIsWhereOpenSslLooks()
    {
        QFETCH(QByteArray, variable);
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good);
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        QString store = m_certs->tls.certs.caCert;
        if (variable == "SSL_CERT_DIR") {
            store = m_certs->tls.path("store");
            QVERIFY(QDir().mkpath(store));
            QVERIFY(QFile::copy(m_certs->tls.certs.caCert, store + QStringLiteral("/ca.pem")));
            QProcess rehash;
            rehash.start(QStringLiteral("openssl"), {QStringLiteral("rehash"), store});
            QVERIFY(rehash.waitForFinished() && rehash.exitCode() == 0);
        }
        qputenv(variable, store.toLocal8Bit());
        const auto restore = qScopeGuard([&] { qunsetenv(variable); });
        HttpsRig https(nginx->port(), {{"a", std::nullopt}});
        QCOMPARE(factOfCalls(https.rig.port(), 1, 0), QByteArrayList{"sni=api.example.com"});
    }

    // Through nginx terminating TLS in front of the test upstream: a body
    // larger than any buffer on the way comes down whole, with reading
    // paused and resumed as the client takes it, and one goes up whole.
    void largeBodiesGoBothWays()
    {
        SKIP_WITHOUT_NGINX();
        TestUpstream plain;
        const auto nginx = serve(m_certs->good, QStringLiteral("    client_max_body_size 0;\n    location /big/ { "
                                                               "proxy_pass %1; proxy_buffering off; }\n    location "
                                                               "/echo { proxy_pass %1; proxy_request_buffering off; }\n")
                                                    .arg(plain.url()));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", m_certs->trustingTestCa()}}, std::chrono::milliseconds(20000));
        HttpClient client(https.rig.port());
        QCOMPARE(largeBodiesRoundTrip(client, "/a"), QString());
    }

    // An upstream that resets the connection once it has the request: the
    // cause is the system's, not a number.
    void aResetAfterTheHandshakeSaysSo()
    {
        RawServer upstream(resetAfterTheRequest(m_certs->good, m_certs->tls.certs.serverKey));
        QVERIFY(upstream.port() != 0);
        QCOMPARE(failureMessageVia(upstream.port()),
                 QStringLiteral("upstream connection failed: TLS: Connection reset by peer"));
    }

    // An upstream that takes the connection and never answers the hello.
    void aHandshakeThatNeverEndsFails()
    {
        QTcpServer silent; // the kernel completes connections; nobody answers
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        HttpsRig https(silent.serverPort(), {{"a", m_certs->trustingTestCa()}}, std::chrono::milliseconds(300));
        expectTlsFailure(https, QStringLiteral("TLS: handshake with api.example.com did not finish within 300 ms"));
    }

    void plainHttpOnTheOtherEndFails()
    {
        TestUpstream plain;
        HttpsRig https(plain.port(), {{"a", m_certs->trustingTestCa()}});
        expectTlsFailure(https, QStringLiteral("TLS: handshake with api.example.com failed: the upstream closed the "
                                               "connection"));
        QCOMPARE(plain.totalRequests(), 0);
    }

    void minVersionRefusesAnOlderServer()
    {
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good, QStringLiteral("    ssl_protocols TLSv1.2;\n"));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        UpstreamTls only13 = m_certs->trustingTestCa();
        only13.minVersion = TlsMinVersion::Tls13;
        HttpsRig https(nginx->port(), {{"a", only13}, {"b", m_certs->trustingTestCa()}});
        expectTlsFailure(https, QStringLiteral("TLS: handshake with api.example.com failed: it sent the alert "
                                               "\"protocol version\""));
        HttpClient client(https.rig.port());
        QCOMPARE(client.get("/b/x")->status, 200); // 1.2 is enough for b
    }

    // server_name goes as SNI and is the name checked: nginx picks the
    // certificate by the name it is sent.
    void serverNameIsSentAndChecked()
    {
        SKIP_WITHOUT_NGINX();
        QVERIFY(QFile::copy(m_certs->good, m_certs->tls.path("sni-api.example.com.pem")));
        QVERIFY(QFile::copy(m_certs->wrongName, m_certs->tls.path("sni-.pem")));
        const auto nginx = serve(m_certs->tls.path("sni-$ssl_server_name.pem"));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        UpstreamTls named = m_certs->trustingTestCa();
        named.serverName = "api.example.com";
        ProxyRig rig([&] {
            Configuration config;
            for (const auto &[name, tls] : {std::pair{"a", named}, std::pair{"b", m_certs->trustingTestCa()}}) {
                ServiceConfig s = service(name, QStringLiteral("https://127.0.0.1:%1/").arg(nginx->port()));
                s.tls = tls;
                config.services.push_back(s);
            }
            return config;
        }());
        QCOMPARE(factOfCalls(rig.port(), 1, 0), QByteArrayList{"sni=api.example.com"});
        // Without server_name an address sends no name, and the certificate
        // nginx gives then is not for 127.0.0.1.
        HttpClient client(rig.port());
        const auto without = client.get("/b/x");
        QCOMPARE(without->status, 502);
        QCOMPARE(messageOf(*without), QStringLiteral("TLS: certificate for wrong.example does not match 127.0.0.1"));
    }

    void aClientCertificateIsPresentedWhenConfigured()
    {
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good, QStringLiteral("    ssl_verify_client on;\n    ssl_client_certificate %1;\n")
                                                    .arg(m_certs->tls.certs.caCert));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        UpstreamTls mutual = m_certs->trustingTestCa();
        mutual.clientCert = m_certs->tls.certs.clientCert.toStdString();
        mutual.clientKey = m_certs->tls.certs.clientKey.toStdString();
        HttpsRig https(nginx->port(), {{"a", mutual}, {"b", m_certs->trustingTestCa()}});
        QCOMPARE(factOfCalls(https.rig.port(), 1, 3), QByteArrayList{"client=CN=breakerboard-client"});
        // Without one, nginx answers so itself.
        HttpClient client(https.rig.port());
        const auto without = client.get("/b/x");
        QCOMPARE(without->status, 400);
        QVERIFY2(without->body.contains("No required SSL certificate was sent"), without->body.constData());
    }

    void sessionsAreResumed_data() { protocolRows(); }

    // nginx closes each connection after its answer, so every call needs a
    // handshake: all but the first resume the session. Over TLS 1.3 the
    // session comes in a ticket after the handshake.
    void sessionsAreResumed()
    {
        QFETCH(QString, protocol);
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good, protocol + QStringLiteral("    keepalive_timeout 0;\n"));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", m_certs->trustingTestCa()}});
        QCOMPARE(factOfCalls(https.rig.port(), 6, 1),
                 (QByteArrayList{"reused=.", "reused=r", "reused=r", "reused=r", "reused=r", "reused=r"}));
    }

    void connectionsArePooled_data() { protocolRows(); }

    // With keep-alive, calls share pooled connections: the upstream sees
    // one handshake for many calls (a TLS 1.3 ticket that arrives while the
    // connection waits in the pool is not taken for stray bytes).
    void connectionsArePooled()
    {
        QFETCH(QString, protocol);
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good, protocol);
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", m_certs->trustingTestCa()}});
        const QByteArrayList connections = factOfCalls(https.rig.port(), 20, 2);
        QVERIFY2(connections.front().startsWith("conn="), connections.front().constData());
        QCOMPARE(connections, QByteArrayList(20, connections.front()));
    }

    void idleConnectionsTheUpstreamClosesAreLetGo_data() { protocolRows(); }

    // nginx closes a keep-alive connection idle for 200 ms (with
    // close_notify); the next call takes a new one and succeeds.
    void idleConnectionsTheUpstreamClosesAreLetGo()
    {
        QFETCH(QString, protocol);
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->good, protocol + QStringLiteral("    keepalive_timeout 200ms;\n"));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", m_certs->trustingTestCa()}});
        const QByteArrayList first = factOfCalls(https.rig.port(), 2, 2);
        QCOMPARE(first.at(1), first.at(0));
        QTest::qWait(600);
        const QByteArrayList later = factOfCalls(https.rig.port(), 1, 2);
        QVERIFY2(later.front().startsWith("conn="), later.front().constData());
        QVERIFY(later.front() != first.front());
        QCOMPARE(https.rig.counters("a").outcome(proxy::RequestOutcome::Success), 3u);
        QCOMPARE(https.rig.engine.snapshot().breaker("a")->totals.failures, 0u);
    }

    void aRefusedCertificateIsRefusedEveryTime_data() { protocolRows(); }

    // No session of a handshake that failed verification is kept: the next
    // connection cannot resume its way past the check.
    void aRefusedCertificateIsRefusedEveryTime()
    {
        QFETCH(QString, protocol);
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->untrusted, protocol + QStringLiteral("    keepalive_timeout 0;\n"));
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        HttpsRig https(nginx->port(), {{"a", m_certs->trustingTestCa()}});
        QCOMPARE(factOfCalls(https.rig.port(), 4, 0), QByteArrayList(4, "status 502"));
        QCOMPARE(https.rig.counted("a", 4), 4u);
        QCOMPARE(https.rig.counters("a").outcome(proxy::RequestOutcome::Failure), 4u);
        QCOMPARE(QString::fromStdString(https.rig.counters("a").lastFailure.get().text),
                 QStringLiteral("TLS: certificate for api.example.com is not trusted (its issuer \"Another test CA\" is "
                                "not among the trusted CAs)"));
    }

    // An upstream that answers the hello in plain text.
    void aPlainTextAnswerToTheHelloFails()
    {
        RawServer plain(answerInPlainText);
        QVERIFY(plain.port() != 0);
        const QString message = failureMessageVia(plain.port());
        QVERIFY2(message.startsWith(QStringLiteral("TLS: handshake with api.example.com failed: error:")) &&
                     message.endsWith(QStringLiteral("wrong version number")),
                 qPrintable(message));
    }

    // verify: false takes any certificate, and its connections never serve
    // a service that verifies, even to the same address.
    void unverifiedConnectionsStayWithTheirService()
    {
        SKIP_WITHOUT_NGINX();
        const auto nginx = serve(m_certs->untrusted);
        QVERIFY2(nginx->started(), qPrintable(nginx->error()));
        UpstreamTls anything;
        anything.verify = false;
        HttpsRig https(nginx->port(), {{"b", anything}, {"a", m_certs->trustingTestCa()}});
        HttpClient client(https.rig.port());
        QCOMPARE(client.get("/b/x")->status, 200);
        QCOMPARE(client.get("/b/x")->status, 200);
        expectTlsFailure(https, QStringLiteral("TLS: certificate for api.example.com is not trusted (its issuer "
                                               "\"Another test CA\" is not among the trusted CAs)"));
    }
};

QTEST_GUILESS_MAIN(TestProxyHttpsUpstreams)
#include "tst_proxy_httpsupstreams.moc"
