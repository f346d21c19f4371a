// RequestListener over TLS with hostile clients: one that never starts its
// handshake is dropped, plain HTTP gets no HTTP answer, failed handshakes
// leave the other connections (and accepting) alone, the connection cap
// holds, and nothing older than TLS 1.2 is spoken.
#include "common/testcerts.h"
#include "httpclient.h"
#include "proxy/requestlistener.h"

#include <QSslSocket>
#include <QTest>

using namespace bb;
using namespace bb::testing;

namespace {
struct TlsRig {
    TlsRig(const TestCerts &certs, int maxConnections = 8, int handshakeTimeoutMs = 60'000)
    {
        proxy::RequestListener::Options options;
        options.maxConnections = maxConnections;
        options.tls = serving(certs);
        options.handshakeTimeoutMs = handshakeTimeoutMs;
        listener = std::make_unique<proxy::RequestListener>(
            options,
            [](QTcpSocket *socket, const proxy::HttpHead &, const QByteArray &) {
                socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                return true;
            },
            [](int, const std::string &) { return QByteArray("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); });
        QString error;
        if (!listener->listen(QHostAddress::LocalHost, 0, &error))
            qFatal("%s", qPrintable(error));
    }
    quint16 port() const { return listener->port(); }
    std::unique_ptr<proxy::RequestListener> listener;
};

bool served(HttpClient &client)
{
    const auto r = client.get("/x");
    return r && r->status == 200 && r->body == "ok";
}
} // namespace

class TestTlsListener : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(m_tls.certs.error.isEmpty(), qPrintable(m_tls.certs.error)); }

    void aClientTrustingTheCaIsServedUnderEitherName()
    {
        TlsRig rig(m_certs);
        HttpClient byAddress(rig.port(), trusting(m_certs.caCert), true);
        QVERIFY(byAddress.connected());
        QVERIFY(served(byAddress));
        QVERIFY(served(byAddress)); // keep-alive
        HttpClient byName(rig.port(), trusting(m_certs.caCert), true, QStringLiteral("localhost"));
        QVERIFY(served(byName));
        HttpClient otherName(rig.port(), trusting(m_certs.caCert), true, QStringLiteral("example.com"));
        QVERIFY(!otherName.connected());
        QCOMPARE(otherName.sslErrors().value(0).error(), QSslError::HostNameMismatch);
    }

    void onlyTls12OrNewerIsSpoken()
    {
        TlsRig rig(m_certs);
        QSslConfiguration tls12 = trusting(m_certs.caCert);
        tls12.setProtocol(QSsl::TlsV1_2);
        HttpClient client(rig.port(), tls12, true);
        QVERIFY(served(client));
        QCOMPARE(qobject_cast<QSslSocket *>(&client.socket())->sessionProtocol(), QSsl::TlsV1_2);

        // An older client, as openssl can still be one: the server refuses its hello.
        QProcess older;
        older.start(QStandardPaths::findExecutable("openssl"),
                    {"s_client", "-connect", QStringLiteral("127.0.0.1:%1").arg(rig.port()), "-tls1_1", "-cipher",
                     "DEFAULT@SECLEVEL=0", "-CAfile", m_certs.caCert});
        older.closeWriteChannel();
        QTRY_VERIFY_WITH_TIMEOUT(older.state() == QProcess::NotRunning, 10000);
        const QByteArray said = older.readAllStandardOutput() + older.readAllStandardError();
        QVERIFY2(older.exitCode() != 0, said.constData());
        QVERIFY2(said.contains("alert protocol version"), said.constData());
    }

    void aClientThatNeverSpeaksIsDroppedAtTheHandshakeTimeout()
    {
        TlsRig rig(m_certs, 8, 100);
        HttpClient silent(rig.port(), true);
        QVERIFY(silent.connected());
        QCOMPARE(silent.readUntilClosed(), QByteArray());
        QVERIFY(!silent.connected());
    }

    void plainHttpGetsNoHttpAnswer()
    {
        TlsRig rig(m_certs);
        HttpClient tls(rig.port(), trusting(m_certs.caCert), true);
        QVERIFY(served(tls));
        HttpClient plain(rig.port(), true);
        plain.send("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");
        const QByteArray answer = plain.readUntilClosed();
        QVERIFY2(!answer.contains("HTTP/"), answer.constData());
        QVERIFY(!plain.connected());
        QVERIFY(served(tls)); // the TLS connection goes on
    }

    void failedHandshakesLeaveTheOthersAndAcceptingAlone()
    {
        // Two slots: both taken by clients whose handshakes fail at once.
        TlsRig rig(m_certs, 2);
        HttpClient nonsense(rig.port(), true);
        HttpClient plain(rig.port(), true);
        QTRY_COMPARE(rig.listener->findChildren<QSslSocket *>().size(), 2); // both accepted
        nonsense.send(QByteArray(64, '\x16')); // a TLS record's first byte, then no record
        plain.send("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n");
        nonsense.readUntilClosed();
        plain.readUntilClosed();
        QVERIFY(!nonsense.connected() && !plain.connected());
        HttpClient untrusting(rig.port(), trusting(m_certs.otherCaCert), true);
        QVERIFY(!untrusting.connected());
        QVERIFY(!untrusting.sslErrors().isEmpty());

        HttpClient client(rig.port(), trusting(m_certs.caCert), true);
        QVERIFY(served(client));
    }

    void theConnectionCapHolds()
    {
        TlsRig rig(m_certs, 1);
        HttpClient first(rig.port(), trusting(m_certs.caCert), true);
        QVERIFY(served(first));
        HttpClient second(rig.port(), trusting(m_certs.caCert), true);
        QVERIFY(!served(second));
        QVERIFY(second.waitClosed());
        QVERIFY(served(first));
    }

private:
    TestCertsDir m_tls;
    const TestCerts &m_certs = m_tls.certs;
};

QTEST_GUILESS_MAIN(TestTlsListener)
#include "tst_proxy_tlslistener.moc"
