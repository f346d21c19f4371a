// `breakerboard --demo` as a trainer runs it: simulated services behind the
// real proxy (listening with TLS too), a scenario that trips a breaker with
// its caption printed, and a bad scenario file refused with its position.
#include "common/testcerts.h"
#include "e2etesting.h"

#include <QTest>

using namespace bb::testing;

class TestE2eDemo : public QObject {
    Q_OBJECT
private slots:
    void aScenarioTripsABreakerThroughTheRealProxy_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("plain") << false;
        QTest::newRow("tls listener") << true; // the demo's own traffic speaks TLS to it
    }

    void aScenarioTripsABreakerThroughTheRealProxy()
    {
        QFETCH(bool, tls);
        TestCertsDir certs;
        QVERIFY2(certs.certs.error.isEmpty(), qPrintable(certs.certs.error));
        const QStringList tlsArguments{QStringLiteral("--proxy-tls-cert"), certs.certs.serverCert,
                                       QStringLiteral("--proxy-tls-key"), certs.certs.serverKey};
        QTemporaryDir dir;
        const QString scenario = writeConfig(dir,
                                             "scenario:\n  name: quick\n  duration: 30\n  steps:\n"
                                             "    - {at: 1, service: bank-api, failure_rate: 1, caption: bank-api fails}\n",
                                             "quick.yaml");
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                QStringList{"--headless", "--demo", "--scenario", scenario, "--demo-rate", "40", "--duration", "20", "--proxy-listen",
                            QStringLiteral("127.0.0.1:%1").arg(freePort())} +
                    isolated(dir, freePort()) + (tls ? tlsArguments : QStringList()));
        QByteArray out;
        QVERIFY2(waitForOutput(p, tls ? "10 simulated services behind the proxy on https://127.0.0.1:"
                                      : "10 simulated services behind the proxy on http://127.0.0.1:",
                               out),
                 out.constData());
        QVERIFY2(waitForOutput(p, "▶ bank-api fails", out, 5000), out.constData());
        QVERIFY2(waitForOutput(p, "bank-api closed → open: failure rate ", out, 15000), out.constData());
        QVERIFY(!out.contains("payment-service closed → open"));
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
    }

    void aBadScenarioIsRefusedWithItsPosition()
    {
        QTemporaryDir dir;
        const QString scenario = writeConfig(
            dir, "scenario:\n  name: bad\n  duration: 30\n  steps:\n    - {at: 1, service: nope, outage: true}\n",
            "bad.yaml");
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                QStringList{"--headless", "--demo", "--scenario", scenario} + isolated(dir, freePort()));
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("bad.yaml:5:24: unknown service 'nope'"), err.constData());
    }
};

QTEST_GUILESS_MAIN(TestE2eDemo)
#include "tst_e2e_demo.moc"
