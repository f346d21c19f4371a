// A replay's traffic counted as the proxy counts live requests: outcomes,
// rejections by breaker and by group, and the latency histogram, read with
// the same sampleTraffic the dashboard's observations use.
#include "common/parsedconfig.h"
#include "control/controlservice.h"
#include "control/replaytraffic.h"
#include "control/trafficsample.h"
#include "record/jsonline.h"
#include "record/recordingreader.h"

#include <QtTest>

using namespace bb;
using namespace bb::control;
using bb::testing::parsed;
using proxy::RequestOutcome;

class TestReplayTraffic : public QObject {
    Q_OBJECT
private slots:
    void countsAsTheProxyWould()
    {
        // a fails from its 10th call on and opens; the group (over 40% open)
        // then turns b's calls away too.
        std::string text;
        for (int i = 0; i < 40; ++i) {
            for (const char *service : {"a", "b"}) {
                record::RequestLine line;
                line.tMs = i * 100.0 + (service[0] == 'b' ? 50 : 0);
                line.service = service;
                line.outcome = service[0] == 'a' && i >= 10 ? record::CallOutcome::Failure : record::CallOutcome::Success;
                line.latencyMs = service[0] == 'a' ? 3 : 30;
                record::appendRequestLine(text, line);
            }
        }
        auto recording = std::make_shared<const record::Recording>(*record::parseRecording(text).recording);
        const Configuration config = parsed("circuit_breakers:\n  default:\n    failure_threshold: 0.5\n"
                                            "    recovery_timeout: 60000\n    window: {type: count, size: 10}\n"
                                            "    volume_threshold: 10\n  services:\n    a: {}\n    b: {}\n"
                                            "  hierarchical:\n    groups:\n      g: {services: [a, b], group_threshold: 0.4}\n");
        record::ReplayRun run(recording, config);
        ReplayTraffic traffic(run, config);
        run.runToEnd();
        const std::vector<ServiceTraffic> sample = sampleTraffic(*traffic.routes());
        QCOMPARE(sample.size(), 2u);
        const ServiceTraffic &a = sample[0];
        const ServiceTraffic &b = sample[1];
        QCOMPARE(a.name, std::string("a"));
        // a: 10 successes, failures until 5 of the last 10 failed, then rejections.
        QCOMPARE(a.outcome(RequestOutcome::Success), 10u);
        QCOMPARE(a.outcome(RequestOutcome::Failure), 5u);
        QCOMPARE(a.outcome(RequestOutcome::RejectedBreaker) + a.outcome(RequestOutcome::RejectedGroup), 25u);
        // b's calls up to a's opening at 1.403 s went through: 14 of them.
        QCOMPARE(b.outcome(RequestOutcome::Success), 14u);
        QCOMPARE(b.outcome(RequestOutcome::RejectedGroup), 26u);
        const record::ReplaySummary summary = run.summary();
        QCOMPARE(summary.rejected, 51u);
        // Latencies: a's 15 calls in the 2.5–5 ms bucket, b's in 25–50 ms;
        // rejections count as 0 ms, as the proxy's instant answers do.
        QCOMPARE(a.durations[2], 15u);
        QCOMPARE(b.durations[5], 14u);
        QCOMPARE(a.durations[0] + b.durations[0], 51u);
    }


    void aControlServiceOverTheReplayedEngine()
    {
        std::string text;
        for (int i = 0; i < 30; ++i) {
            record::RequestLine line;
            line.tMs = i * 100.0;
            line.service = "a";
            line.outcome = i >= 10 ? record::CallOutcome::Failure : record::CallOutcome::Success;
            line.latencyMs = 3;
            record::appendRequestLine(text, line);
        }
        auto recording = std::make_shared<const record::Recording>(*record::parseRecording(text).recording);
        const Configuration config = parsed("circuit_breakers:\n  default:\n    failure_threshold: 0.5\n"
                                            "    recovery_timeout: 1000\n    window: {type: count, size: 10}\n"
                                            "    volume_threshold: 10\n  services:\n    a: {}\n");
        record::ReplayRun run(recording, config);
        run.leaveEventsInEngine();
        ReplayTraffic traffic(run, config);
        std::vector<TransitionEvent> heard; // outlives control, which may still report while it goes
        ControlService control(run.engine(), config);
        control.observeTraffic(traffic.routes());
        connect(&control, &ControlService::transitioned, this, [&](const TransitionEvent &e) { heard.push_back(e); });
        run.advanceTo(1'500'000'000);
        control.sample();
        QCOMPARE(heard.size(), 1u);
        QCOMPARE(heard[0].to, BreakerState::Open);
        QCOMPARE(control.snapshot()->breaker("a")->state, BreakerState::Open);
        run.runToEnd();
        control.sample();
        QCOMPARE(heard.size(), 3u); // half-open by the timer at 2.403 s, the trial fails
        QCOMPARE(heard[1].to, BreakerState::HalfOpen);
        QCOMPARE(control.transitions(10).size(), 3u);
        QVERIFY(run.takeTransitions().empty()); // left to the control service
    }
};

QTEST_GUILESS_MAIN(TestReplayTraffic)
#include "tst_control_replaytraffic.moc"
