// The running binary's admin API over TLS (--admin-tls-cert, --admin-tls-key):
// routes, /metrics and the event stream over TLS and nothing over plain
// HTTP; a bad certificate or key stops the start before anything listens,
// with one line naming the file; off loopback the token is still needed.
// The proxy's own TLS listener (--proxy-tls-cert, --proxy-tls-key) with curl.
// HTTPS upstreams (nginx): answers, and a failed handshake's cause in the
// 502 and in the admin API's event stream.
#include "common/badtlspairs.h"
#include "e2etesting.h"
#include "nginxprocess.h"
#include "testupstream.h"

#include <QDir>
#include <QJsonArray>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace bb::testing;

namespace {
QString configFor(const TestUpstream &up)
{
    return QStringLiteral("circuit_breakers:\n"
                          "  services:\n"
                          "    a:\n"
                          "      upstream: %1\n"
                          "      route: /a\n")
        .arg(up.url());
}

// --LISTENER-tls-cert and --LISTENER-tls-key, each when given.
QStringList tlsArguments(const QString &cert, const QString &key, const QString &listener = QStringLiteral("admin"))
{
    QStringList args;
    if (!cert.isNull())
        args << QStringLiteral("--%1-tls-cert").arg(listener) << cert;
    if (!key.isNull())
        args << QStringLiteral("--%1-tls-key").arg(listener) << key;
    return args;
}

// curl's exit status and what it printed (status code with -w).
std::pair<int, QByteArray> curl(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("curl"), QStringList{QStringLiteral("-s"), QStringLiteral("--max-time"), QStringLiteral("5")} + args);
    p.waitForFinished(10000);
    return {p.exitCode(), p.readAllStandardOutput()};
}

} // namespace

class TestE2eAdminTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(m_tls.certs.error.isEmpty(), qPrintable(m_tls.certs.error)); }

    void theAdminApiIsServedOverTlsOnly()
    {
        TestUpstream up;
        QTemporaryDir dir;
        Instance node(dir, writeConfig(dir, configFor(up)));
        node.extraArguments = tlsArguments(m_certs.serverCert, m_certs.serverKey);
        node.adminTls = trusting(m_certs.caCert);
        QVERIFY2(node.start(), node.out.constData());
        QVERIFY2(node.out.contains(QStringLiteral("Admin API and /metrics on https://127.0.0.1:%1; token in ")
                                       .arg(node.adminPort)
                                       .toUtf8()),
                 node.out.constData());

        auto r = node.admin("GET", "/healthz");
        QCOMPARE(r->status, 200);
        r = node.admin("GET", "/api/v1/breakers");
        QCOMPARE(r->status, 200);
        QCOMPARE(QJsonDocument::fromJson(r->body).object().value("breakers").toArray().size(), 1);
        r = node.admin("GET", "/metrics");
        QCOMPARE(r->status, 200);
        QVERIFY(r->body.contains("circuit_breaker_state{circuit_breaker=\"a\"} 0"));

        const auto reader = node.adminClient();
        reader->send("GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray seen;
        QVERIFY2(reader->readUntil(seen, "event: snapshot"), seen.constData());
        QCOMPARE(node.admin("POST", "/api/v1/breakers/a/state", R"({"state": "forced_open", "reason": "drill"})")->status,
                 200);
        QVERIFY2(reader->readUntil(seen, "event: transition"), seen.constData());

        HttpClient plain(node.adminPort);
        plain.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        const QByteArray answer = plain.readUntilClosed();
        QVERIFY2(!answer.contains("HTTP/"), answer.constData());
        QVERIFY(!plain.connected());
        QCOMPARE(node.admin("GET", "/healthz")->status, 200);
    }

    void theProxyListensWithTls()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QSKIP("curl is not on PATH");
        TestUpstream up;
        QTemporaryDir dir;
        Instance node(dir, writeConfig(dir, configFor(up)));
        node.extraArguments = tlsArguments(m_tls.certs.serverCert, m_tls.certs.serverKey, QStringLiteral("proxy"));
        QVERIFY(node.start());
        QVERIFY2(node.out.contains("proxy on https://127.0.0.1:"), node.out.constData());
        const QString url = QStringLiteral("https://127.0.0.1:%1/a/hello").arg(node.proxyPort);
        const auto [ok, body] = curl({QStringLiteral("--cacert"), m_tls.certs.caCert, url});
        QCOMPARE(ok, 0);
        QCOMPARE(body, QByteArray("/a/hello")); // the upstream's answer: the path it was asked
        const auto [untrusted, nothing] = curl({url}); // the system store does not know the test CA
        QCOMPARE(untrusted, 60);                      // CURLE_PEER_FAILED_VERIFICATION
        const auto [plain, refused] = curl({QStringLiteral("http://127.0.0.1:%1/a/hello").arg(node.proxyPort)});
        QVERIFY(plain != 0);
        QVERIFY(!refused.contains("/a/hello"));
        QCOMPARE(up.requests(QStringLiteral("/a/hello")), 1);
    }

    void httpsUpstreamsAnswerOrSayWhyNot()
    {
        SKIP_WITHOUT_NGINX();
        TestCerts &certs = m_tls.certs;
        QVERIFY2(makeServerCert(m_tls.dir.path(), certs, m_tls.path("api.pem"), QStringLiteral("DNS:api.example.com")) &&
                     makeServerCert(m_tls.dir.path(), certs, m_tls.path("wrong.pem"), QStringLiteral("DNS:wrong.example")),
                 qPrintable(certs.error));
        const auto serve = [&](const char *cert) {
            return std::make_unique<NginxProcess>(
                QStringLiteral("    ssl_certificate %1;\n    ssl_certificate_key %2;\n"
                               "    location / { return 200 \"over tls\\n\"; }\n")
                    .arg(m_tls.path(cert), certs.serverKey),
                QString(), 1, QStringLiteral(" ssl"));
        };
        const auto good = serve("api.pem");
        const auto wrong = serve("wrong.pem");
        QVERIFY2(good->started() && wrong->started(), qPrintable(good->error() + wrong->error()));
        QTemporaryDir dir;
        const QString service = QStringLiteral("    %1:\n      upstream: https://127.0.0.1:%2/\n      route: /%1\n"
                                               "      tls:\n        ca_file: %3\n        server_name: api.example.com\n");
        Instance node(dir, writeConfig(dir, QStringLiteral("circuit_breakers:\n  services:\n") +
                                                service.arg(QStringLiteral("good")).arg(good->port()).arg(certs.caCert) +
                                                service.arg(QStringLiteral("wrong")).arg(wrong->port()).arg(certs.caCert)));
        QVERIFY2(node.start(), node.out.constData());
        HttpClient proxy(node.proxyPort);
        QCOMPARE(proxy.get("/good/x")->body, QByteArray("over tls\n"));
        const QByteArray cause = "TLS: certificate for wrong.example does not match api.example.com";
        const auto failed = proxy.get("/wrong/x");
        QCOMPARE(failed->status, 502);
        QCOMPARE(QJsonDocument::fromJson(failed->body).object().value("message").toString().toUtf8(), cause);

        const auto reader = node.adminClient();
        reader->send("GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray seen;
        QVERIFY2(reader->readUntil(seen, "\"last_failure\":{\"text\":\"" + cause + "\""), seen.constData());
    }

    void theProxysCertificateIsReadAgainWhenItsFilesChange_data()
    {
        QTest::addColumn<bool>("window");
        QTest::newRow("headless") << false;
        QTest::newRow("dashboard") << true;
    }

    void theProxysCertificateIsReadAgainWhenItsFilesChange()
    {
        QFETCH(bool, window);
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
            QSKIP("curl is not on PATH");
        TestCertsDir renewed;
        QVERIFY2(renewed.certs.error.isEmpty(), qPrintable(renewed.certs.error));
        TestUpstream up;
        QTemporaryDir dir;
        const QString cert = dir.filePath("proxy.crt");
        const QString key = dir.filePath("proxy.key");
        const auto install = [&](const TestCerts &from) {
            QFile::remove(cert);
            QFile::remove(key);
            return QFile::copy(from.serverCert, cert) && QFile::copy(from.serverKey, key);
        };
        QVERIFY(install(m_tls.certs));
        Instance node(dir, writeConfig(dir, configFor(up)));
        node.extraArguments = tlsArguments(cert, key, QStringLiteral("proxy"));
        node.window = window;
        QVERIFY2(node.start(), node.out.constData());
        const QString url = QStringLiteral("https://127.0.0.1:%1/a/x").arg(node.proxyPort);
        const auto trustedBy = [&url](const TestCerts &ca) { return curl({QStringLiteral("--cacert"), ca.caCert, url}).first; };
        QCOMPARE(trustedBy(m_tls.certs), 0);

        // Renewed files: the next connections meet the new certificate.
        QVERIFY(install(renewed.certs));
        QTRY_COMPARE_WITH_TIMEOUT(trustedBy(renewed.certs), 0, 10000);
        QCOMPARE(trustedBy(m_tls.certs), 60);
        QVERIFY(waitForOutput(node.process, "Proxy TLS certificate reloaded from", node.out));

        // A key that is not the certificate's: refused, the one in use stays.
        QFile::remove(key);
        QVERIFY(QFile::copy(m_tls.certs.otherCaKey, key));
        QByteArray errors;
        const auto refusals = [&] { return (errors += node.process.readAllStandardError()).count("certificate not reloaded"); };
        QTRY_VERIFY_WITH_TIMEOUT(refusals() >= 1, 10000);
        QCOMPARE(trustedBy(renewed.certs), 0);
        if (!window) {
            // SIGHUP reads the files again, with the same answer.
            const auto before = refusals();
            ::kill(pid_t(node.process.processId()), SIGHUP);
            QTRY_VERIFY_WITH_TIMEOUT(refusals() > before, 10000);
            QCOMPARE(trustedBy(renewed.certs), 0);
        }
        QCOMPARE(node.process.state(), QProcess::Running);
    }

    void aBadProxyCertificateOrKeyStopsTheStart_data() { addBadTlsPairRows(m_tls, QStringLiteral("proxy")); }

    void aBadProxyCertificateOrKeyStopsTheStart()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, message);
        TestUpstream up;
        QTemporaryDir dir;
        Instance node(dir, writeConfig(dir, configFor(up)));
        node.extraArguments = tlsArguments(cert, key, QStringLiteral("proxy"));
        QVERIFY(!node.start());
        node.process.waitForFinished(10000);
        QCOMPARE(node.process.exitCode(), 1);
        const QString error = QString::fromUtf8(node.process.readAllStandardError());
        QVERIFY2(error.startsWith(QStringLiteral("breakerboard: --proxy-tls: ") + message), qPrintable(error));
        QVERIFY(!QDir(dir.filePath("state")).exists());
    }

    void aBadCertificateOrKeyStopsTheStart_data() { addBadTlsPairRows(m_tls); }

    void aBadCertificateOrKeyStopsTheStart()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, message);
        TestUpstream up;
        QTemporaryDir dir;
        Instance node(dir, writeConfig(dir, configFor(up)));
        node.extraArguments = tlsArguments(cert, key);
        QVERIFY(!node.start());
        node.process.waitForFinished(10000);
        QCOMPARE(node.process.state(), QProcess::NotRunning);
        QCOMPARE(node.process.exitCode(), 1);
        const QList<QByteArray> errors = node.process.readAllStandardError().trimmed().split('\n');
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].startsWith(("breakerboard: " + message).toUtf8()), errors[0].constData());
        QCOMPARE(node.out + node.process.readAllStandardOutput(), QByteArray()); // nothing started
        QVERIFY(!QDir(dir.filePath("state")).exists());
    }

    void offLoopbackTheTokenIsStillNeeded()
    {
        TestUpstream up;
        QTemporaryDir dir;
        Instance node(dir, writeConfig(dir, configFor(up)));
        const QStringList anyAddress{QStringLiteral("--admin-listen"), QStringLiteral("0.0.0.0:%1").arg(node.adminPort)};
        node.extraArguments = tlsArguments(m_certs.serverCert, m_certs.serverKey) + anyAddress;
        node.adminTls = trusting(m_certs.caCert);
        QVERIFY(!node.start());
        node.process.waitForFinished(10000);
        QCOMPARE(node.process.state(), QProcess::NotRunning);
        QCOMPARE(node.process.exitCode(), 1);
        QVERIFY(node.process.readAllStandardError().contains(
            "the admin API on 0.0.0.0 is off loopback: give --admin-token-file"));

        const QByteArray token = "0123456789abcdef0123456789abcdef";
        writeConfig(dir, QString::fromLatin1(token), QStringLiteral("token"));
        node.extraArguments << QStringLiteral("--admin-token-file") << dir.filePath("token");
        QVERIFY2(node.start(), node.out.constData());
        QCOMPARE(node.adminClient()->get("/api/v1/breakers")->status, 401);
        QCOMPARE(node.adminClient()->get("/healthz")->status, 401);
        QCOMPARE(node.adminClient()->get("/api/v1/breakers", "Authorization: Bearer " + token + "\r\n")->status, 200);
    }

private:
    TestCertsDir m_tls;
    const TestCerts &m_certs = m_tls.certs;
};

QTEST_GUILESS_MAIN(TestE2eAdminTls)
#include "tst_e2e_admin_tls.moc"
