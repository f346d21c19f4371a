// The admin API over TLS: the certificate and key are checked before
// anything listens (each bad pair refused in one line that names its file),
// and the routes, /metrics and the event stream are served to a client that
// trusts the CA; a client that trusts another CA gets a certificate error.
#include "apirig.h"

#include "common/badtlspairs.h"
#include "control/servertls.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

using namespace bb;
using namespace bb::control;
using namespace bb::testing;

namespace {
QJsonObject jsonOf(const std::optional<Response> &r)
{
    return r ? QJsonDocument::fromJson(r->body).object() : QJsonObject();
}

// A GET over https://127.0.0.1 with QNetworkAccessManager, trusting caCert; finished.
std::unique_ptr<QNetworkReply> getOverTls(QNetworkAccessManager &manager, quint16 port, const QString &path,
                                          const QString &caCert)
{
    QNetworkRequest request(QUrl(QStringLiteral("https://127.0.0.1:%1%2").arg(port).arg(path)));
    request.setSslConfiguration(trusting(caCert));
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    finished.wait(5000);
    return reply;
}
} // namespace

class TestAdminTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(m_certs.error.isEmpty(), qPrintable(m_certs.error)); }

    void noFilesMeanPlainHttp()
    {
        const ServerTls tls = loadServerTls({}, {});
        QVERIFY(!tls.configuration);
        QVERIFY(tls.error.isEmpty());
    }

    void aCertificateWithItsKeyMakesATls12Server()
    {
        ServerTls tls = loadServerTls(m_certs.serverCert, m_certs.serverKey);
        QVERIFY2(tls.error.isEmpty(), qPrintable(tls.error));
        QVERIFY(tls.configuration);
        QCOMPARE(tls.configuration->protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(tls.configuration->localCertificate(), QSslCertificate::fromPath(m_certs.serverCert).value(0));
        QCOMPARE(tls.configuration->privateKey().algorithm(), QSsl::Ec);

        QString error;
        QVERIFY2(runOpenssl(m_tls.dir.path(),
                            {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                             "-config", "openssl.cnf", "-keyout", path("rsa.key"), "-out", path("rsa.pem")},
                            &error),
                 qPrintable(error));
        tls = loadServerTls(path("rsa.pem"), path("rsa.key"));
        QVERIFY2(tls.error.isEmpty(), qPrintable(tls.error));
        QCOMPARE(tls.configuration->privateKey().algorithm(), QSsl::Rsa);
    }

    void eachBadPairIsRefusedNamingItsFile_data() { addBadTlsPairRows(m_tls); }

    void eachBadPairIsRefusedNamingItsFile()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, message);
        const ServerTls tls = loadServerTls(cert, key);
        QVERIFY(!tls.configuration);
        QVERIFY2(tls.error.startsWith(message), qPrintable(tls.error));
        QVERIFY2(!tls.error.contains('\n'), qPrintable(tls.error));
    }

    void theApiIsServedOverTls()
    {
        ApiRig api(false, serving());
        HttpClient client(api.server.port(), trusting(m_certs.caCert), true);
        auto r = client.get("/healthz");
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("status").toString(), QString("ok"));
        r = client.get("/api/v1/breakers");
        QCOMPARE(r->status, 200);
        QCOMPARE(jsonOf(r).value("breakers").toArray().size(), 2);
        r = client.request("POST", "/api/v1/breakers/a/state", R"({"state": "forced_open", "reason": "drill"})",
                           kAuth);
        QCOMPARE(r->status, 200);
        QCOMPARE(api.rig.state("a"), BreakerState::ForcedOpen);

        QNetworkAccessManager manager;
        const auto reply = getOverTls(manager, api.server.port(), "/metrics", m_certs.caCert);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(reply->readAll().contains("circuit_breaker_state{circuit_breaker=\"a\"} 1"));
    }

    void theEventStreamIsServedOverTls()
    {
        ApiRig api(false, serving());
        HttpClient reader(api.server.port(), trusting(m_certs.caCert), true);
        reader.send("GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray seen;
        QVERIFY2(reader.readUntil(seen, "event: snapshot"), seen.constData());
        QVERIFY(seen.startsWith("HTTP/1.1 200 OK\r\n"));
        QCOMPARE(api.server.streamCount(), 1);
        HttpClient client(api.server.port(), trusting(m_certs.caCert), true);
        QCOMPARE(client.request("POST", "/api/v1/breakers/b/state", R"({"state": "forced_open", "reason": "drill"})",
                                kAuth)
                     ->status,
                 200);
        QVERIFY2(reader.readUntil(seen, "event: transition"), seen.constData());
        QVERIFY(seen.contains("\"to\":\"forced_open\""));
    }

    // Over TLS what a reader has not taken waits mostly encrypted, and counts all the same.
    void aReaderThatFallsBehindIsDropped()
    {
        ApiRig api(false, serving());
        HttpClient reader(api.server.port(), trusting(m_certs.caCert), true);
        reader.send("GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QByteArray seen;
        QVERIFY(reader.readUntil(seen, "event: snapshot"));
        reader.socket().setReadBufferSize(4096); // and takes no more
        const std::string reason(2000, 'x'); // some 4 kB of events an action
        int actions = 0;
        for (; actions < 20'000 && api.server.streamCount() == 1; ++actions) {
            const OperatorAction action = actions % 2 ? OperatorAction::Reset : OperatorAction::ForceOpen;
            QVERIFY(api.rig.control->changeState(TargetKind::Breaker, "a", command(action, reason), {"bob", "api"}).ok());
            QCoreApplication::processEvents();
        }
        QCOMPARE(api.server.streamCount(), 0);
        QVERIFY(actions > int(AdminServer::kMaxStreamBacklog / 4096)); // not before its backlog was full
    }

    void aClientTrustingAnotherCaGetsACertificateError()
    {
        ApiRig api(false, serving());
        HttpClient untrusting(api.server.port(), trusting(m_certs.otherCaCert), true);
        QVERIFY(!untrusting.connected());
        QCOMPARE(untrusting.sslErrors().value(0).error(), QSslError::UnableToGetLocalIssuerCertificate);

        QNetworkAccessManager manager;
        const auto reply = getOverTls(manager, api.server.port(), "/healthz", m_certs.otherCaCert);
        QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
        QVERIFY(reply->readAll().isEmpty());

        HttpClient client(api.server.port(), trusting(m_certs.caCert), true);
        QCOMPARE(client.get("/healthz")->status, 200);
    }

private:
    QString path(const char *name) const { return m_tls.path(name); }
    QSslConfiguration serving() const { return *loadServerTls(m_certs.serverCert, m_certs.serverKey).configuration; }

    TestCertsDir m_tls;
    const TestCerts &m_certs = m_tls.certs;
};

QTEST_GUILESS_MAIN(TestAdminTls)
#include "tst_admin_tls.moc"
