// Recording the proxy's traffic: every request as it completes, with the
// outcome its breaker saw; nothing before the start or after the stop; and
// the recording replayed against the same configuration gives the live
// transitions again.
#include "proxyrig.h"

#include "config/configloader.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"
#include "record/recordingreader.h"
#include "record/replayrun.h"

#include <QTemporaryDir>

using namespace bb;
using namespace bb::testing;

namespace {
record::Recording load(const QString &path)
{
    record::LoadResult r = record::loadRecording(path.toStdString());
    if (!r.recording)
        qFatal("%s", r.error.c_str());
    if (r.report.malformed != 0 || r.report.cutOffLine)
        qFatal("the recording has bad lines");
    return std::move(*r.recording);
}

// The proxy on the system clock and real timers, as it runs live.
struct LiveRig {
    explicit LiveRig(const std::string &yaml) : yamlText(yaml)
    {
        ConfigResult loaded = parseConfiguration(yaml, "live.yaml");
        if (!loaded.ok())
            qFatal("%s", loaded.issues.front().toString().c_str());
        config = *loaded.config;
        installConfiguration(config, engine);
        routes = std::make_shared<const proxy::RouteTable>(config, engine);
        proxy::ProxyOptions options;
        options.port = 0;
        options.workers = 2;
        server = std::make_unique<proxy::ProxyServer>(engine, routes, options);
        QString error;
        if (!server->start(&error))
            qFatal("proxy did not start: %s", qPrintable(error));
    }
    ~LiveRig() { server->stop(std::chrono::milliseconds(1000)); }

    std::string yamlText;
    SystemClock clock;
    ThreadTimer timers{clock};
    Engine engine{clock, timers};
    Configuration config;
    std::shared_ptr<const proxy::RouteTable> routes;
    std::unique_ptr<proxy::ProxyServer> server;
};

std::string liveConfig(const QString &upstream)
{
    const std::string url = upstream.toStdString() + "/";
    return "circuit_breakers:\n"
           "  services:\n"
           "    api:\n"
           "      upstream: " + url + "\n"
           "      route: /api\n"
           "      window: {type: count, size: 10}\n"
           "      volume_threshold: 4\n"
           "      failure_threshold: 0.5\n"
           "      recovery_timeout: 300\n"
           "      half_open: {permitted_calls: 2, success_threshold: 2}\n"
           "    timed:\n"
           "      upstream: " + url + "\n"
           "      route: /timed\n"
           "      window: {type: time, size: 2}\n"
           "      volume_threshold: 4\n"
           "      failure_threshold: 0.5\n"
           "      recovery_timeout: 200\n"
           "      half_open: {permitted_calls: 1, success_threshold: 1}\n";
}

struct Seen {
    std::string subject, from, to, cause;
    std::int64_t tNs = 0;
};
} // namespace

class TestProxyRecording : public QObject {
    Q_OBJECT
private slots:
    void recordsEveryRequestWithTheOutcomeItsBreakerSaw()
    {
        TestUpstream up;
        Configuration c;
        c.services.push_back(service("a", up.url() + "/"));
        ProxyRig rig(c);
        HttpClient client(rig.port());
        QCOMPARE(client.get("/a/ok")->status, 200); // before the recording: not in it

        QTemporaryDir dir;
        const QString path = dir.filePath("r.jsonl");
        record::RecordingHeader header;
        header.source = "proxy";
        header.configName = "test.yaml";
        header.config = "circuit_breakers: {}\n";
        QString error;
        QVERIFY2(rig.server->startRecording(path.toStdString(), header, &error), qPrintable(error));
        QCOMPARE(client.get("/a/ok")->status, 200);
        QCOMPARE(client.get("/a/status/500")->status, 500);
        QCOMPARE(client.get("/a/status/404")->status, 404);
        rig.breaker("a").apply({OperatorAction::ForceOpen, "test", "drill", std::nullopt});
        QCOMPARE(client.get("/a/x")->status, 503);
        QVERIFY(rig.counted("a", 5) == 5);
        const auto running = rig.server->recording();
        QVERIFY(running);
        QCOMPARE(running->path, path.toStdString());
        const auto stopped = rig.server->stopRecording();
        QVERIFY(stopped);
        QCOMPARE(stopped->lines, 4u);
        QVERIFY(stopped->error.empty());
        QVERIFY(!rig.server->recording());
        QCOMPARE(client.get("/a/y")->status, 503); // after the stop: not in it

        const record::Recording rec = load(path);
        QVERIFY(rec.hasHeader);
        QCOMPARE(rec.header.source, std::string("proxy"));
        QCOMPARE(rec.header.config, header.config);
        QVERIFY(rec.header.startWallMs > 0);
        QVERIFY(rec.header.startEngineNs > 0);
        QCOMPARE(rec.services, std::vector<std::string>{"a"});
        std::vector<record::CallOutcome> outcomes;
        for (const auto &call : rec.calls)
            outcomes.push_back(call.outcome);
        QCOMPARE(outcomes, (std::vector<record::CallOutcome>{record::CallOutcome::Success, record::CallOutcome::Failure,
                                                             record::CallOutcome::Ignored, record::CallOutcome::Rejected}));
        for (std::size_t i = 1; i < rec.calls.size(); ++i)
            QVERIFY(rec.calls[i].atNs >= rec.calls[i - 1].atNs + rec.calls[i - 1].latencyNs);
        // The optional fields, as written.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().split('\n');
        QVERIFY(lines[1].contains("\"method\":\"GET\",\"path\":\"/a/ok\",\"status\":200,\"upstream\":\"" +
                                  up.url().toUtf8() + "/\",\"bytes\":2}"));
        QVERIFY(lines[4].contains("\"outcome\":\"rejected\""));
        QVERIFY(lines[4].contains("\"status\":503"));
    }

    void aFileThatCannotBeWrittenIsRefused()
    {
        TestUpstream up;
        Configuration c;
        c.services.push_back(service("a", up.url() + "/"));
        ProxyRig rig(c);
        QString error;
        QVERIFY(!rig.server->startRecording("/nonexistent/dir/r.jsonl", {}, &error));
        QVERIFY2(error.startsWith(QStringLiteral("/nonexistent/dir/r.jsonl: cannot write the recording (")),
                 qPrintable(error));
        QVERIFY(!rig.server->recording());
        HttpClient client(rig.port());
        QCOMPARE(client.get("/a/ok")->status, 200);
    }

    void replayGivesTheLiveTransitionsAgain()
    {
        TestUpstream up;
        LiveRig rig(liveConfig(up.url()));
        QTemporaryDir dir;
        const QString path = dir.filePath("live.jsonl");
        record::RecordingHeader header;
        header.config = rig.yamlText;
        QString error;
        QVERIFY2(rig.server->startRecording(path.toStdString(), header, &error), qPrintable(error));
        HttpClient client(rig.server->port());
        const auto both = [&](const QByteArray &what, int times) {
            for (int i = 0; i < times; ++i) {
                QVERIFY(client.get("/api/" + what));
                QVERIFY(client.get("/timed/" + what));
            }
        };
        both("ok", 6);
        both("status/500", 8);  // both open
        QTest::qWait(350);      // both half-open by their timers
        both("status/500", 1);  // a failed trial: open again
        QTest::qWait(350);
        both("ok", 6);          // trials succeed: closed
        rig.server->stopRecording();

        const record::Recording rec = load(path);
        std::vector<Seen> live;
        for (const TransitionEvent &e : rig.engine.drainEvents())
            live.push_back({e.subject, std::string(nameOf(e.from)), std::string(nameOf(e.to)), e.cause.toString(),
                            e.at.time_since_epoch().count() - rec.header.startEngineNs});
        QVERIFY(live.size() >= 8);

        record::ReplayRun replay(std::make_shared<const record::Recording>(rec), rig.config);
        replay.runToEnd();
        std::vector<Seen> replayed;
        for (const TransitionEvent &e : replay.takeTransitions())
            replayed.push_back({e.subject, std::string(nameOf(e.from)), std::string(nameOf(e.to)), e.cause.toString(),
                                e.at.time_since_epoch().count()});
        QCOMPARE(replayed.size(), live.size());
        for (std::size_t i = 0; i < live.size(); ++i) {
            const std::string what = live[i].subject + " " + live[i].from + " → " + live[i].to;
            QCOMPARE(replayed[i].subject + " " + replayed[i].from + " → " + replayed[i].to, what);
            QCOMPARE(replayed[i].cause, live[i].cause);
            // Completions are written when the request ends, microseconds
            // after the breaker heard the outcome.
            QVERIFY2(std::llabs(replayed[i].tNs - live[i].tNs) <= 2'000'000,
                     qPrintable(QStringLiteral("%1: live %2 ns, replayed %3 ns")
                                    .arg(QString::fromStdString(what))
                                    .arg(live[i].tNs)
                                    .arg(replayed[i].tNs)));
        }
    }
};

QTEST_MAIN(TestProxyRecording)
#include "tst_proxy_recording.moc"
