// Recording the proxy's traffic: every request as it completes, with the
// outcome its breaker saw and its times on the engine's clock; nothing before
// the start or after the stop; and the recording replayed against the same
// configuration gives the live transitions again, at the same instants.
#include "proxyrig.h"

#include "common/parsedconfig.h"
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

// "api closed→open 300" (milliseconds from the recording's start).
QString seen(const TransitionEvent &e, std::int64_t originNs)
{
    return QStringLiteral("%1 %2→%3 %4")
        .arg(QString::fromStdString(e.subject), QString::fromLatin1(nameOf(e.from).data()),
             QString::fromLatin1(nameOf(e.to).data()))
        .arg(toMs(e.at.time_since_epoch() - Duration(originNs)));
}
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
        QCOMPARE(rig.counted("a", 1), 1u);

        QTemporaryDir dir;
        const QString path = dir.filePath("r.jsonl");
        record::RecordingHeader header;
        header.source = "proxy";
        header.configName = "test.yaml";
        header.config = "circuit_breakers: {}\n";
        QString error;
        QVERIFY2(rig.server->startRecording(path.toStdString(), header, &error), qPrintable(error));
        // One request a second on the engine's clock, each ended before the clock moves.
        const auto call = [&](const QByteArray &target, int status, std::uint64_t counted) {
            QCOMPARE(client.get(target)->status, status);
            QCOMPARE(rig.counted("a", counted), counted);
            rig.clock.advance(std::chrono::seconds(1));
        };
        call("/a/ok", 200, 2);
        call("/a/status/500", 500, 3);
        call("/a/status/404", 404, 4);
        rig.breaker("a").apply({OperatorAction::ForceOpen, "test", "drill", std::nullopt});
        call("/a/x", 503, 5);
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
        // The rig's clock starts at 1000 s, its wall clock at the Unix epoch.
        QCOMPARE(rec.header.startEngineNs, std::int64_t(1000'000'000'000));
        QCOMPARE(rec.header.startWallMs, std::int64_t(1000'000));
        QCOMPARE(rec.services, std::vector<std::string>{"a"});
        std::vector<record::CallOutcome> outcomes;
        std::vector<std::int64_t> arrivals, latencies;
        for (const auto &recorded : rec.calls) {
            outcomes.push_back(recorded.outcome);
            arrivals.push_back(recorded.atNs);
            latencies.push_back(recorded.latencyNs);
        }
        QCOMPARE(outcomes, (std::vector<record::CallOutcome>{record::CallOutcome::Success, record::CallOutcome::Failure,
                                                             record::CallOutcome::Ignored, record::CallOutcome::Rejected}));
        // Arrivals a second apart; the clock stood still while each request ran.
        QCOMPARE(arrivals, (std::vector<std::int64_t>{0, 1'000'000'000, 2'000'000'000, 3'000'000'000}));
        QCOMPARE(latencies, (std::vector<std::int64_t>{0, 0, 0, 0}));
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
        const std::string yaml = liveConfig(up.url());
        ProxyRig rig(parsed(yaml));
        QTemporaryDir dir;
        const QString path = dir.filePath("live.jsonl");
        record::RecordingHeader header;
        header.config = yaml;
        QString error;
        QVERIFY2(rig.server->startRecording(path.toStdString(), header, &error), qPrintable(error));
        HttpClient client(rig.server->port());
        std::uint64_t sent = 0; // to each service
        const auto both = [&](const QByteArray &what, int times) {
            for (int i = 0; i < times; ++i) {
                QVERIFY(client.get("/api/" + what));
                QVERIFY(client.get("/timed/" + what));
            }
            sent += std::uint64_t(times);
            // Every request ended (and written) before the clock moves on.
            QCOMPARE(rig.counted("api", sent), sent);
            QCOMPARE(rig.counted("timed", sent), sent);
        };
        // Each service opens at its sixth failure after six successes (6 of
        // 12 ≥ 50%); the last two calls of each are rejected.
        both("ok", 6);
        both("status/500", 8);
        rig.clock.advance(ms(300)); // timed half-open at 200 ms, api at 300 ms
        both("status/500", 1);      // a failed trial: both open again at 300 ms
        rig.clock.advance(ms(300)); // timed half-open at 500 ms, api at 600 ms
        both("ok", 6);              // timed closes on its one trial, api on its second
        rig.server->stopRecording();

        const record::Recording rec = load(path);
        const QStringList expected{"api closed→open 0",        "timed closed→open 0",     "timed open→half_open 200",
                                   "api open→half_open 300",   "api half_open→open 300",  "timed half_open→open 300",
                                   "timed open→half_open 500", "api open→half_open 600",  "timed half_open→closed 600",
                                   "api half_open→closed 600"};
        QStringList live, liveCauses;
        for (const TransitionEvent &e : rig.engine.drainEvents()) {
            live << seen(e, rec.header.startEngineNs);
            liveCauses << QString::fromStdString(e.cause.toString());
        }
        QCOMPARE(live, expected);

        record::ReplayRun replay(std::make_shared<const record::Recording>(rec), rig.config);
        replay.runToEnd();
        QStringList replayed, replayedCauses;
        for (const TransitionEvent &e : replay.takeTransitions()) {
            replayed << seen(e, 0);
            replayedCauses << QString::fromStdString(e.cause.toString());
        }
        QCOMPARE(replayed, expected);
        QCOMPARE(replayedCauses, liveCauses);
    }
};

QTEST_MAIN(TestProxyRecording)
#include "tst_proxy_recording.moc"
