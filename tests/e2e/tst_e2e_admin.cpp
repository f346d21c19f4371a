// The control surface of the running binary: forced states, policy edits and
// the audit log survive kill -9 mid-traffic; the configuration file is
// reloaded live (an invalid one refused); the admin API refuses to start off
// loopback without a token.
#include "e2etesting.h"
#include "httpclient.h"
#include "record/recordingreader.h"
#include "testupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace bb::testing;

namespace {
QString configFor(const TestUpstream &up, const char *threshold = "0.5")
{
    return QStringLiteral("circuit_breakers:\n"
                          "  default:\n"
                          "    failure_threshold: %2\n"
                          "    volume_threshold: 4\n"
                          "  services:\n"
                          "    a:\n"
                          "      upstream: %1\n"
                          "      route: /a\n"
                          "    b:\n"
                          "      upstream: %1\n"
                          "      route: /b\n")
        .arg(up.url(), QString::fromLatin1(threshold));
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class TestE2eAdmin : public QObject {
    Q_OBJECT
private slots:
    void recordingThroughTheApiSurvivesKillNine()
    {
        TestUpstream up;
        QTemporaryDir dir;
        Instance node(dir, writeConfig(dir, configFor(up)));
        QVERIFY(node.start());
        const auto json = [](const std::optional<Response> &r) { return QJsonDocument::fromJson(r->body).object(); };
        auto r = node.admin("GET", "/api/v1/recording");
        QCOMPARE(r->status, 200);
        QCOMPARE(json(r).value("recording").toBool(true), false);
        const QString directory = dir.filePath("state/recordings");
        QCOMPARE(json(r).value("directory").toString(), directory);

        // Bad requests change nothing.
        HttpClient anonymous(node.adminPort);
        QCOMPARE(anonymous.request("POST", "/api/v1/recording", "{\"file\":\"x.jsonl\"}")->status, 401);
        r = node.admin("POST", "/api/v1/recording", "{\"file\":\"../escape.jsonl\"}");
        QCOMPARE(r->status, 400);
        QCOMPARE(json(r).value("errors").toArray().at(0).toObject().value("field").toString(), QStringLiteral("file"));
        QCOMPARE(node.admin("POST", "/api/v1/recording", "{\"file\": 5}")->status, 400);
        QCOMPARE(node.admin("POST", "/api/v1/recording", "not json")->status, 400);
        QCOMPARE(node.admin("DELETE", "/api/v1/recording")->status, 409);
        QCOMPARE(node.admin("PUT", "/api/v1/recording")->status, 405);
        QVERIFY(!QFile::exists(dir.filePath("state/escape.jsonl")));
        QVERIFY(!json(node.admin("GET", "/api/v1/recording")).value("recording").toBool(true));

        r = node.admin("POST", "/api/v1/recording", "{\"file\":\"incident.jsonl\"}");
        QCOMPARE(r->status, 201);
        QCOMPARE(json(r).value("path").toString(), directory + "/incident.jsonl");
        QCOMPARE(node.admin("POST", "/api/v1/recording", "{\"file\":\"other.jsonl\"}")->status, 409);
        HttpClient client(node.proxyPort);
        for (int i = 0; i < 40; ++i)
            QCOMPARE(client.get(i % 4 == 3 ? "/b/x" : "/a/x")->status, 200);
        r = node.admin("DELETE", "/api/v1/recording");
        QCOMPARE(r->status, 200);
        QCOMPARE(json(r).value("lines").toInt(), 40);
        bb::record::LoadResult loaded = bb::record::loadRecording((directory + "/incident.jsonl").toStdString());
        QVERIFY(loaded.recording);
        QCOMPARE(loaded.recording->calls.size(), 40u);
        QCOMPARE(loaded.recording->services, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(loaded.recording->header.config, configFor(up).toStdString());

        // kill -9 while recording: what completed before the last flush is there, every line whole.
        QCOMPARE(node.admin("POST", "/api/v1/recording", "{\"file\":\"killed.jsonl\"}")->status, 201);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(client.get("/a/ok")->status, 200);
        const auto written = [&] {
            const auto now = bb::record::loadRecording((directory + "/killed.jsonl").toStdString());
            return now.recording ? now.recording->calls.size() : std::size_t(0);
        };
        QTRY_COMPARE(written(), std::size_t(30)); // by the writer's next 100 ms flush
        node.process.kill();
        node.process.waitForFinished(5000);
        loaded = bb::record::loadRecording((directory + "/killed.jsonl").toStdString());
        QVERIFY(loaded.recording);
        QCOMPARE(loaded.report.malformed, 0u);
        QCOMPARE(loaded.recording->calls.size(), 30u);
    }

    void forcedStatesAndEditsSurviveKillNineMidTraffic()
    {
        TestUpstream up;
        QTemporaryDir dir;
        Instance bb{dir, writeConfig(dir, configFor(up))};
        QVERIFY(bb.start());
        QVERIFY2(bb.out.contains("token in " + dir.filePath("state/admin-token").toUtf8() + " (new, mode 0600)"),
                 bb.out.constData());

        std::atomic<bool> stop{false};
        std::atomic<int> answered{0};
        QThread *traffic = QThread::create([&] {
            auto client = std::make_unique<HttpClient>(bb.proxyPort);
            while (!stop) {
                if (client->get(answered % 2 ? "/a/ok" : "/b/ok"))
                    ++answered;
                else
                    client = std::make_unique<HttpClient>(bb.proxyPort);
            }
        });
        traffic->start();
        QTRY_VERIFY(answered > 50);

        QCOMPARE(bb.admin("POST", "/api/v1/breakers/a/state",
                          "{\"state\": \"forced_open\", \"reason\": \"payment provider incident\", \"expires_in_s\": 3600, "
                          "\"actor\": \"alice\"}")->status, 200);
        QCOMPARE(bb.admin("POST", "/api/v1/breakers/b/state", "{\"state\": \"disabled\", \"reason\": \"flaky checks\"}")->status,
                 200);
        QCOMPARE(bb.admin("PATCH", "/api/v1/breakers/b/policy", "{\"failure_threshold\": 0.3}")->status, 200);
        const int before = answered;
        QTRY_VERIFY(answered > before + 50); // traffic goes on through the changes
        bb.process.kill(); // SIGKILL, mid-traffic
        QVERIFY(bb.process.waitForFinished(5000));
        stop = true;
        traffic->wait();
        delete traffic;

        // The files are whole.
        const QJsonObject forced = QJsonDocument::fromJson(readFile(dir.filePath("state/forced-states.json"))).object();
        QCOMPARE(forced.value("breakers").toArray().size(), 2);
        const QList<QByteArray> lines = readFile(dir.filePath("state/audit.jsonl")).split('\n');
        QCOMPARE(lines.size(), 4); // three entries and the end of the last line
        for (int i = 0; i < 3; ++i)
            QVERIFY2(QJsonDocument::fromJson(lines[i]).isObject(), lines[i].constData());
        QVERIFY(lines[3].isEmpty());
        QVERIFY(readFile(dir.filePath("config.overlay.yaml")).contains("failure_threshold: 0.3"));

        // Started again: forced as before, with reason and actor; the edit kept.
        QVERIFY(bb.start());
        QVERIFY2(bb.out.contains("breaker a: force_open again (alice: payment provider incident)"), bb.out.constData());
        QVERIFY(!bb.out.contains("(new, mode 0600)"));
        const QJsonObject a = bb.breaker("a");
        QCOMPARE(a.value("state").toString(), QString("forced_open"));
        QCOMPARE(a.value("cause").toObject().value("reason").toString(), QString("payment provider incident"));
        QCOMPARE(a.value("cause").toObject().value("actor").toString(), QString("alice"));
        QVERIFY(a.value("expires_in_s").toDouble() > 3500);
        const QJsonObject b = bb.breaker("b");
        QCOMPARE(b.value("state").toString(), QString("disabled"));
        QCOMPARE(b.value("cause").toObject().value("reason").toString(), QString("flaky checks"));
        QCOMPARE(b.value("policy").toObject().value("failure_threshold").toDouble(), 0.3);
        HttpClient client(bb.proxyPort);
        QCOMPARE(client.get("/a/ok")->status, 503);
        QCOMPARE(client.get("/b/ok")->status, 200);
        const auto audit = bb.admin("GET", "/api/v1/audit");
        QCOMPARE(QJsonDocument::fromJson(audit->body).object().value("audit").toArray().size(), 3);
        bb.process.terminate();
        QVERIFY(bb.process.waitForFinished(10000));
    }

    void theConfigurationFileIsReloadedLive()
    {
        TestUpstream up;
        QTemporaryDir dir;
        Instance bb{dir, writeConfig(dir, configFor(up))};
        QVERIFY(bb.start());
        writeConfig(dir, configFor(up, "0.3"));
        QVERIFY2(waitForOutput(bb.process, "reloaded: new policy for a, b", bb.out), bb.out.constData());
        QCOMPARE(bb.breaker("a").value("policy").toObject().value("failure_threshold").toDouble(), 0.3);

        writeConfig(dir, configFor(up, "3"));
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += bb.process.readAllStandardError(), err.contains("nothing of it was applied")), 5000);
        QVERIFY2(err.contains("config.yaml:3:24: failure_threshold must be between 0 and 1, got 3"), err.constData());
        QCOMPARE(bb.breaker("a").value("policy").toObject().value("failure_threshold").toDouble(), 0.3);

        const QJsonArray audit =
            QJsonDocument::fromJson(bb.admin("GET", "/api/v1/audit")->body).object().value("audit").toArray();
        QCOMPARE(audit.size(), 2);
        QCOMPARE(audit[0].toObject().value("action").toString(), QString("reload"));
        QCOMPARE(audit[1].toObject().value("action").toString(), QString("reload_refused"));
        QCOMPARE(audit[1].toObject().value("origin").toString(), QString("config"));
        bb.process.terminate();
        QVERIFY(bb.process.waitForFinished(10000));
    }

    void aPolicyOverlayElsewhereKeepsTheEditsAndMonitorOnlyNeverRejects()
    {
        // As the packaged service runs: the configuration read-only, edits in
        // the state directory.
        TestUpstream up;
        QTemporaryDir dir;
        // The upstream's own paths: /a/status/500 reaches /status/500.
        Instance bb{dir, writeConfig(dir, configFor(up).replace(up.url() + "\n", up.url() + "/\n"))};
        const QString edits = dir.filePath("state/edits.yaml");
        bb.extraArguments = {QStringLiteral("--policy-overlay"), edits};
        QVERIFY(bb.start());
        const auto patched = bb.admin("PATCH", "/api/v1/breakers/a/policy", "{\"enforcement\": 0}");
        QVERIFY(patched);
        QCOMPARE(patched->status, 200);
        QVERIFY(readFile(edits).contains("enforcement: 0"));
        QVERIFY(!QFile::exists(dir.filePath("config.overlay.yaml")));
        QCOMPARE(bb.admin("PATCH", "/api/v1/breakers/a/policy", "{\"enforcement\": 101}")->status, 422);

        QCOMPARE(bb.admin("POST", "/api/v1/breakers/a/state", "{\"state\": \"half_open\", \"reason\": \"drill\"}")->status,
                 200);
        HttpClient client(bb.proxyPort);
        for (int i = 0; i < 6; ++i) // half-open with its trials taken: the rest go through
            QCOMPARE(client.get("/a/status/500")->status, 500);
        // The snapshot the API answers from is sampled every 100 ms.
        QTRY_VERIFY(bb.breaker("a").value("totals").toObject().value("would_reject").toDouble() >= 5);
        const QJsonObject a = bb.breaker("a");
        QCOMPARE(a.value("enforcement").toDouble(), 0.0);
        QCOMPARE(a.value("policy").toObject().value("enforcement").toDouble(), 0.0);
        QCOMPARE(a.value("totals").toObject().value("rejected").toDouble(), 0.0);

        bb.process.terminate();
        QVERIFY(bb.process.waitForFinished(10000));
        QVERIFY(bb.start());
        QCOMPARE(bb.breaker("a").value("policy").toObject().value("enforcement").toDouble(), 0.0);
        bb.process.terminate();
        QVERIFY(bb.process.waitForFinished(10000));
    }

    void theAdminApiStaysOnLoopbackWithoutAToken()
    {
        TestUpstream up;
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                {QStringLiteral("--headless"), QStringLiteral("--config"), writeConfig(dir, configFor(up)),
                 QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(freePort()),
                 QStringLiteral("--state-dir"), dir.filePath("state"), QStringLiteral("--admin-listen"),
                 QStringLiteral("0.0.0.0:%1").arg(freePort())});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("the admin API on 0.0.0.0 is off loopback: give --admin-token-file"));
    }

    void aBusyAdminPortStopsTheStart()
    {
        TestUpstream up;
        QTemporaryDir dir;
        QTcpServer holder;
        QVERIFY(holder.listen(QHostAddress::LocalHost, 0));
        Instance bb{dir, writeConfig(dir, configFor(up))};
        bb.adminPort = holder.serverPort();
        QVERIFY(!bb.start());
        bb.process.waitForFinished(10000);
        QCOMPARE(bb.process.state(), QProcess::NotRunning);
        QCOMPARE(bb.process.exitCode(), 1);
        QVERIFY(bb.process.readAllStandardError().contains("cannot listen for the admin API on 127.0.0.1:"));
    }
};

QTEST_GUILESS_MAIN(TestE2eAdmin)
#include "tst_e2e_admin.moc"
