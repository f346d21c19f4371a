// The admin client against a real admin API on loopback: identity, the token
// (sent, refused, missing), changes, and every way a link fails: a port that
// refuses, a server that is not Breakerboard, TLS without the right CA, a
// token that would go over plain http off loopback (refused before anything
// is sent), token and CA files that cannot be used.
#include "control/adminserver.h"
#include "control/controltesting.h"
#include "freeport.h"
#include "nginxprocess.h"
#include "remote/adminclient.h"
#include "testupstream.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkReply>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>

using namespace bb;
using namespace bb::control;
using namespace bb::remote;
using namespace bb::testing;

namespace {
const QByteArray kToken = "0123456789abcdef0123456789abcdef";

struct Served {
    explicit Served(bool tokenForReads = false)
        : server(*rig.control,
                 AdminRouter(*rig.control, {kToken, tokenForReads}, [] { return std::string(); })) {
        QString error;
        if (!server.listen(QHostAddress::LocalHost, 0, &error))
            qFatal("%s", qPrintable(error));
    }
    Instance instance(const QString &tokenFile = {}) const {
        return {
            "local", QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server.port())), tokenFile, {}};
    }
    ControlRig rig;
    AdminServer server;
};

QString fileWith(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes) {
    writeAll(dir.filePath(name), bytes);
    return dir.filePath(name);
}

// What a request came to; the client always answers later, never at once.
template <typename Call> Reply await(Call call) {
    std::optional<Reply> got;
    QEventLoop loop;
    call([&](const Reply &r) {
        got = r;
        loop.quit();
    });
    if (!got)
        loop.exec();
    return *got;
}

Reply identify(AdminClient &client) {
    return await([&](auto done) { client.identify(done); });
}

Reply forceOpen(AdminClient &client, const QString &breaker) {
    const QJsonObject body{{"state", "forced_open"}, {"reason", "drill"}, {"actor", "alice"}};
    return await([&](auto done) {
        client.send("POST", "/api/v1/breakers/" + breaker + "/state", body, done);
    });
}

QList<QSslCertificate> loopbackCertificate() {
    return QSslCertificate::fromPath(QStringLiteral(REMOTE_DATA "/loopback-cert.pem"));
}
} // namespace

class TestRemoteAdminClient : public QObject {
    Q_OBJECT
private slots:
    void identifiesABreakerboard() {
        Served api;
        AdminClient client(api.instance());
        QCOMPARE(client.problem(), QString());
        const Reply r = identify(client);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("product").toString(), QString("breakerboard"));
        QCOMPARE(r.json().value("api").toInt(), 1);
        QCOMPARE(r.message, QString());
    }

    void theTokenGoesWithEveryRequest() {
        QTemporaryDir dir;
        Served api(true); // reads need it too
        AdminClient client(api.instance(fileWith(dir, "token", kToken + "\n")));
        QVERIFY(client.hasToken());
        QVERIFY(identify(client).ok());
        const Reply r = forceOpen(client, "a");
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.json().value("state").toString(), QString("forced_open"));
        QCOMPARE(api.rig.state("a"), BreakerState::ForcedOpen);
        const auto audit = api.rig.control->audit(10);
        QCOMPARE(audit.size(), 1u);
        QCOMPARE(audit[0].actor, std::string("alice"));
        QCOMPARE(audit[0].reason, std::string("drill"));
    }

    void aRefusedOrMissingTokenIsSaidSo() {
        QTemporaryDir dir;
        Served api(true);
        AdminClient wrong(api.instance(fileWith(dir, "token", "not-the-token")));
        Reply r = identify(wrong);
        QCOMPARE(r.problem, LinkProblem::TokenRefused);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.message, QString("the token was refused (401)"));
        QCOMPARE(forceOpen(wrong, "a").problem, LinkProblem::TokenRefused);

        AdminClient none(api.instance());
        r = identify(none);
        QCOMPARE(r.problem, LinkProblem::TokenRefused);
        QCOMPARE(r.message, QString("a token is needed here (401): give a token file"));
        QCOMPARE(api.rig.state("a"), BreakerState::Closed);
    }

    void otherStatusesCarryTheServersWords() {
        QTemporaryDir dir;
        Served api;
        AdminClient client(api.instance(fileWith(dir, "token", kToken)));
        Reply r = forceOpen(client, "nope");
        QCOMPARE(r.problem, LinkProblem::Http);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.message,
                 QString("POST /api/v1/breakers/nope/state answered 404: no breaker named 'nope'"));
        r = await([&](auto done) {
            client.send("POST", "/api/v1/breakers/a/state", {{"state", "ajar"}}, done);
        });
        QCOMPARE(r.status, 422);
        QCOMPARE(
            r.message,
            QString("POST /api/v1/breakers/a/state answered 422: the request was refused; nothing "
                    "was changed"));
        QCOMPARE(r.json().value("errors").toArray().at(0).toObject().value("field").toString(),
                 QString("state"));
        r = await([&](auto done) { client.get("/api/v1/audit?limit=0", done); });
        QCOMPARE(
            r.message,
            QString("GET /api/v1/audit answered 400: limit must be a whole number from 1 to 1000"));
        QVERIFY(!r.ok());
    }

    void aPortThatRefusesIsUnreachable() {
        const quint16 port = freePort();
        AdminClient client({"gone", QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), {}, {}});
        const Reply r = identify(client);
        QCOMPARE(r.problem, LinkProblem::Unreachable);
        QCOMPARE(r.status, 0);
        QCOMPARE(r.message, QStringLiteral("connection refused by 127.0.0.1:%1").arg(port));
    }

    void aServerThatIsNotBreakerboard() {
        TestUpstream up; // answers 200 with the path as a text body
        AdminClient client({"other", QUrl(up.url()), {}, {}});
        const Reply r = identify(client);
        QCOMPARE(r.problem, LinkProblem::NotBreakerboard);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.message,
                 QString("not a Breakerboard admin API (GET /api/v1/instance answered 200 without "
                         "\"product\": \"breakerboard\")"));
        QCOMPARE(up.requests("/api/v1/instance"), 1);
    }

    void aWebServerAnswering404IsNotBreakerboard() {
        SKIP_WITHOUT_NGINX();
        NginxProcess nginx(QStringLiteral("    location / { return 404; }\n"));
        QVERIFY2(nginx.started(), qPrintable(nginx.error()));
        AdminClient client(
            {"web", QUrl(QStringLiteral("http://127.0.0.1:%1").arg(nginx.port())), {}, {}});
        const Reply r = identify(client);
        QCOMPARE(r.problem, LinkProblem::NotBreakerboard);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.message,
                 QString("not a Breakerboard admin API (GET /api/v1/instance answered 404)"));
    }

    void anotherApiVersion() {
        Reply r = AdminClient::identityOf(
            {200, R"({"product":"breakerboard","api":2})", LinkProblem::None, {}});
        QCOMPARE(r.problem, LinkProblem::VersionMismatch);
        QCOMPARE(r.message, QString("API version 2, this program speaks 1"));
        r = AdminClient::identityOf({200, R"({"product":"breakerboard"})", LinkProblem::None, {}});
        QCOMPARE(r.message, QString("API version unknown, this program speaks 1"));
        r = AdminClient::identityOf(
            {200, R"({"product":"breakerboard","api":1})", LinkProblem::None, {}});
        QVERIFY(r.ok());
        const Reply refused{401, {}, LinkProblem::TokenRefused, "the token was refused (401)"};
        QCOMPARE(AdminClient::identityOf(refused).problem, LinkProblem::TokenRefused);
    }

    void aTokenNeverGoesOverPlainHttpOffLoopback() {
        QTemporaryDir dir;
        const QString token = fileWith(dir, "token", kToken);
        AdminClient client({"far", QUrl("http://10.1.2.3:9901"), token, {}});
        QCOMPARE(client.problemKind(), LinkProblem::Unsafe);
        QCOMPARE(
            client.problem(),
            QString("a token is never sent over plain http to a non-loopback address; use https"));
        QVERIFY(!client.request("/api/v1/breakers").hasRawHeader("Authorization"));
        const Reply r = identify(client);
        QCOMPARE(r.problem, LinkProblem::Unsafe);
        QCOMPARE(r.status, 0);
        QCOMPARE(r.message, client.problem());
        QCOMPARE(forceOpen(client, "a").problem, LinkProblem::Unsafe);
        QVERIFY(client.network().findChildren<QNetworkReply *>().isEmpty()); // no request was made

        // The same token to loopback, or over https, or no token: nothing against it.
        QCOMPARE(AdminClient({"here", QUrl("http://127.0.0.1:9901"), token, {}}).problemKind(),
                 LinkProblem::None);
        QCOMPARE(AdminClient({"here", QUrl("http://localhost:9901"), token, {}}).problemKind(),
                 LinkProblem::None);
        AdminClient tls({"far", QUrl("https://10.1.2.3:9901"), token, {}});
        QCOMPARE(tls.problemKind(), LinkProblem::None);
        QCOMPARE(tls.request("/x").rawHeader("Authorization"), "Bearer " + kToken);
        QCOMPARE(AdminClient({"far", QUrl("http://10.1.2.3:9901"), {}, {}}).problemKind(),
                 LinkProblem::None);
    }

    void unusableTokenAndCaFiles_data() {
        QTest::addColumn<QString>("file"); // in the test's folder
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("isCa");
        QTest::addColumn<QString>("problem"); // %1: the file's path
        QTest::newRow("no token file")
            << "missing" << QByteArray() << false
            << "cannot read the token file %1: No such file or directory";
        QTest::newRow("empty token")
            << "token" << QByteArray(" \n") << false << "the token file %1 is empty";
        QTest::newRow("two lines") << "token" << QByteArray("abc\ndef\n") << false
                                   << "the token in %1 has spaces or control characters";
        QTest::newRow("no CA file") << "missing" << QByteArray() << true
                                    << "cannot read the CA file %1: No such file or directory";
        QTest::newRow("not a certificate") << "ca.pem" << QByteArray("hello\n") << true
                                           << "the CA file %1 holds no PEM certificate";
    }
    void unusableTokenAndCaFiles() {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, isCa);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = file == "missing" ? dir.filePath(file) : fileWith(dir, file, bytes);
        Served api;
        Instance instance = api.instance();
        (isCa ? instance.caFile : instance.tokenFile) = path;
        AdminClient client(instance);
        QCOMPARE(client.problemKind(), LinkProblem::LocalFile);
        QCOMPARE(client.problem(), problem.arg(path));
        const Reply r = identify(client);
        QCOMPARE(r.problem, LinkProblem::LocalFile);
        QCOMPARE(r.message, client.problem());
    }

    void requestsCarryTheTlsConfiguration() {
        AdminClient client({"tls",
                            QUrl("https://127.0.0.1:9443"),
                            {},
                            QStringLiteral(REMOTE_DATA "/loopback-cert.pem")});
        QCOMPARE(client.problemKind(), LinkProblem::None);
        const QNetworkRequest r = client.request("/api/v1/events?rate=2");
        QCOMPARE(r.url().toString(), QString("https://127.0.0.1:9443/api/v1/events?rate=2"));
        QCOMPARE(r.sslConfiguration().caCertificates(), loopbackCertificate());
        QCOMPARE(r.sslConfiguration().peerVerifyMode(), QSslSocket::VerifyPeer);
        QCOMPARE(r.attribute(QNetworkRequest::Http2AllowedAttribute).toBool(), false);
        QCOMPARE(r.transferTimeout(), 0);
    }

    void aCertificateThatIsNotTrustedIsATlsProblem() {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QSslServer server;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(loopbackCertificate().value(0));
        QFile key(QStringLiteral(REMOTE_DATA "/loopback-key.pem"));
        QVERIFY(key.open(QIODevice::ReadOnly));
        tls.setPrivateKey(QSslKey(&key, QSsl::Rsa));
        server.setSslConfiguration(tls);
        // A handshake that succeeds ends there: the server closes without answering.
        connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&server] {
            while (QTcpSocket *s = server.nextPendingConnection())
                s->disconnectFromHost();
        });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const QUrl url(QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort()));

        AdminClient system({"tls", url, {}, {}}); // the system's CAs do not know this certificate
        Reply r = identify(system);
        QCOMPARE(r.problem, LinkProblem::Tls);
        QCOMPARE(r.message,
                 QString("certificate error: The certificate is self-signed, and untrusted"));

        AdminClient trusting({"tls", url, {}, QStringLiteral(REMOTE_DATA "/loopback-cert.pem")});
        r = identify(trusting);
        QCOMPARE(r.problem, LinkProblem::Unreachable);
        QCOMPARE(r.message, QStringLiteral("127.0.0.1:%1 closed the connection without answering")
                                .arg(server.serverPort()));
    }
};

QTEST_GUILESS_MAIN(TestRemoteAdminClient)
#include "tst_remote_adminclient.moc"
