// `breakerboard --headless --config FILE` as a user runs it: it proxies,
// prints transitions with causes, refuses bad configurations and busy ports,
// and on SIGTERM answers the requests under way before it exits. It runs
// with glibc's string functions chosen without AVX-512 (started again by
// itself, the same process), unless GLIBC_TUNABLES says otherwise.
#include "common/testcerts.h"
#include "e2etesting.h"
#include "freeport.h"
#include "httpclient.h"
#include "testupstream.h"

#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace bb::testing;

namespace {
QString configFor(const TestUpstream &up)
{
    return QStringLiteral("circuit_breakers:\n"
                          "  default:\n"
                          "    failure_threshold: 0.5\n"
                          "    recovery_timeout: 60000\n"
                          "    volume_threshold: 2\n"
                          "    expected_response_time: 3000\n"
                          "  services:\n"
                          "    a:\n"
                          "      upstream: %1/\n"
                          "      route: /a\n"
                          "    b:\n"
                          "      upstream: %1/\n"
                          "      route: /b\n")
        .arg(up.url());
}

// Started headless on port with configFor(up); false (with what it printed) unless it says it is up.
bool startHeadless(QProcess &p, const QTemporaryDir &dir, const TestUpstream &up, quint16 port, QByteArray &out)
{
    p.start(QStringLiteral(BREAKERBOARD_BINARY),
            QStringList{QStringLiteral("--headless"), QStringLiteral("--config"), writeConfig(dir, configFor(up)),
                        QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(port)} +
                isolated(dir, freePort()));
    return waitForOutput(p, "Breakerboard headless: proxy on http://127.0.0.1:", out);
}

} // namespace

class TestE2eHeadless : public QObject {
    Q_OBJECT
private slots:
    void proxiesPrintsTransitionsAndStopsCleanly()
    {
        TestUpstream up;
        QTemporaryDir dir;
        const quint16 port = freePort();
        QProcess p;
        QByteArray out;
        QVERIFY2(startHeadless(p, dir, up, port, out), out.constData());

        HttpClient client(port);
        QCOMPARE(client.get("/a/ok")->status, 200);
        QCOMPARE(client.get("/a/status/500")->status, 500);
        QVERIFY2(waitForOutput(p, "a closed → open: failure rate 50% ≥ 50% over 2 calls", out), out.constData());
        QCOMPARE(client.get("/a/ok")->status, 503);

        HttpClient inFlight(port);
        inFlight.send("GET /b/slow/700 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(up.requests("/slow/700"), 1); // under way at the upstream
        p.terminate(); // SIGTERM
        const auto r = inFlight.read(5000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("slow"));
        QVERIFY(p.waitForFinished(10000));
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(out.contains("Stopped."), out.constData());
    }

    void runsWithoutAvx512StringFunctionsUnlessToldOtherwise_data()
    {
        QTest::addColumn<QByteArray>("given");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("not set") << QByteArray()
                                 << QByteArray("glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD");
        QTest::newRow("set by the user") << QByteArray("glibc.malloc.perturb=0")
                                         << QByteArray("glibc.malloc.perturb=0");
        QTest::newRow("set empty") << QByteArray("") << QByteArray("");
    }
    void runsWithoutAvx512StringFunctionsUnlessToldOtherwise()
    {
        QFETCH(QByteArray, given);
        QFETCH(QByteArray, expected);
        TestUpstream up;
        QTemporaryDir dir;
        const quint16 port = freePort();
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("GLIBC_TUNABLES"));
        if (!given.isNull())
            env.insert(QStringLiteral("GLIBC_TUNABLES"), QString::fromLatin1(given));
        p.setProcessEnvironment(env);
        QByteArray out;
        QVERIFY2(startHeadless(p, dir, up, port, out), out.constData());
        QCOMPARE(HttpClient(port).get("/a/ok")->status, 200);

        // The process that answers is the one started, with the tunable.
        QFile environ(QStringLiteral("/proc/%1/environ").arg(p.processId()));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        QByteArray tunables;
        bool present = false;
        for (const QByteArray &entry : environ.readAll().split('\0')) {
            if (entry.startsWith("GLIBC_TUNABLES=")) {
                tunables = entry.mid(15);
                present = true;
            }
        }
        QCOMPARE(present, !expected.isNull());
        QCOMPARE(tunables, expected);
        // Under its own name still, for ps, pkill and systemd.
        QFile comm(QStringLiteral("/proc/%1/comm").arg(p.processId()));
        QVERIFY(comm.open(QIODevice::ReadOnly));
        QCOMPARE(comm.readAll().trimmed(), QByteArray("breakerboard"));
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
    }

    void aBadConfigurationStartsNothing()
    {
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                QStringList{QStringLiteral("--headless"), QStringLiteral("--config"),
                 writeConfig(dir, QStringLiteral("circuit_breakers:\n  services:\n    a:\n      failure_threshold: 7\n")),
                 QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(freePort())} +
                    isolated(dir, freePort()));
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("config.yaml:4:26: failure_threshold must be between 0 and 1, got 7"), err.constData());
    }

    void aBusyPortIsReported()
    {
        TestUpstream up;
        QTemporaryDir dir;
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                QStringList{QStringLiteral("--headless"), QStringLiteral("--config"), writeConfig(dir, configFor(up)),
                 QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(holder.serverPort())} +
                    isolated(dir, freePort()));
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("cannot listen for the proxy on 127.0.0.1:"), err.constData());
        QVERIFY2(err.contains("in use"), err.constData());
    }

    void checkConfigSaysOkWithASummary()
    {
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY), {QStringLiteral("check-config"), QStringLiteral(SEED_YAML)});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.startsWith("OK: 7 services (0 with an upstream and a route), 2 groups,"), out.constData());
    }

    void checkConfigListsEveryError()
    {
        QTemporaryDir dir;
        const QString path = writeConfig(
            dir, QStringLiteral("circuit_breakers:\n  services:\n    a:\n      failure_threshold: 2\n"
                                "      recovery_timeout: soon\n"));
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY), {QStringLiteral("check-config"), path});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("config.yaml:4:26: failure_threshold must be between 0 and 1, got 2"), err.constData());
        QVERIFY2(err.contains("config.yaml:5:25: recovery_timeout (milliseconds) must be a whole number, got 'soon'"),
                 err.constData());
        QVERIFY(err.contains(": 2 error(s)"));
    }

    void aBadRedisUrlStartsNothing()
    {
        TestUpstream up;
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                QStringList{QStringLiteral("--headless"), QStringLiteral("--config"), writeConfig(dir, configFor(up)),
                            QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(freePort()),
                            QStringLiteral("--redis"), QStringLiteral("bogus")} +
                    isolated(dir, freePort()));
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("breakerboard: --redis: Redis URL has no scheme"), err.constData());
        QVERIFY(!p.readAllStandardOutput().contains("proxy on"));
    }

    void checkConfigSummarisesSharedState()
    {
        QTemporaryDir dir;
        const QString path = writeConfig(
            dir, QStringLiteral("circuit_breakers:\n  services:\n    a: {}\nshared_state:\n"
                                "  redis: redis://:secret@127.0.0.1:6390/1\n  cluster: shop\n"
                                "  breakers: follow\n  quorum: 2\n"));
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY), {QStringLiteral("check-config"), path});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("shared_state: cluster shop, redis 127.0.0.1:6390/1, breakers follow, quorum 2"),
                 out.constData());
        QVERIFY(!out.contains("secret"));
    }

    // check-config and the headless start read a service's tls: files alike,
    // refusing a bad one at its key and starting with good ones.
    void httpsUpstreamsAreCheckedBeforeTheStart()
    {
        TestCertsDir tls;
        QVERIFY2(tls.certs.error.isEmpty() && makeClientCerts(tls.dir.path(), tls.certs), qPrintable(tls.certs.error));
        const auto configWith = [](const char *cert) {
            return QStringLiteral("circuit_breakers:\n  services:\n    api:\n"
                                  "      upstream: https://api.example.com/v2\n      tls:\n"
                                  "        ca_file: ca.pem\n        client_cert: %1\n        client_key: client.key\n")
                .arg(QLatin1String(cert));
        };
        const auto run = [&](const QStringList &arguments, int exitCode, QByteArray *err) {
            QProcess p;
            p.start(QStringLiteral(BREAKERBOARD_BINARY), arguments);
            QVERIFY(p.waitForFinished(10000));
            QCOMPARE(p.exitCode(), exitCode);
            *err = p.readAllStandardError();
        };
        const QString expired = writeConfig(tls.dir, configWith("client-expired.pem"), "expired.yaml");
        const QByteArray line = expired.toUtf8() + ":7:22: tls.client_cert " + tls.certs.expiredClientCert.toUtf8() +
                                " expired on 2020-01-02T00:00:00Z";
        const QStringList headless{QStringLiteral("--headless"), QStringLiteral("--proxy-listen"),
                                   QStringLiteral("127.0.0.1:%1").arg(freePort())};
        QByteArray err;
        run({QStringLiteral("check-config"), expired}, 1, &err);
        QVERIFY2(err.contains(line), err.constData());
        run(headless + QStringList{QStringLiteral("--config"), expired} + isolated(tls.dir, freePort()), 1, &err);
        QVERIFY2(err.contains(line) && err.contains("has errors; nothing was started"), err.constData());

        const QString good = writeConfig(tls.dir, configWith("client.pem"), "good.yaml");
        run({QStringLiteral("check-config"), good}, 0, &err);
        QProcess started;
        started.start(QStringLiteral(BREAKERBOARD_BINARY),
                      headless + QStringList{QStringLiteral("--config"), good} + isolated(tls.dir, freePort()));
        QByteArray out;
        QVERIFY2(waitForOutput(started, "Breakerboard headless: proxy on http://127.0.0.1:", out), out.constData());
        started.terminate();
        QVERIFY(started.waitForFinished(10000));
    }

    void badCommandLineValuesAreRefused()
    {
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                {QStringLiteral("--config"), QStringLiteral("x.yaml"), QStringLiteral("--proxy-listen"),
                 QStringLiteral("nonsense")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(p.readAllStandardError().contains("--proxy-listen must be ADDR:PORT"));
    }
};

QTEST_GUILESS_MAIN(TestE2eHeadless)
#include "tst_e2e_headless.moc"
