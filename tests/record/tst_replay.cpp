// Replay on a virtual clock: transitions at the times the rules say, the
// same at any step size, rejected calls under a what-if, summaries, and
// several configurations in one pass.
#include "recordtesting.h"

#include "record/replayset.h"

#include <limits>

using namespace bb;
using namespace bb::record;
using namespace bb::record::testing;

namespace {
// api: a call every 100 ms, each taking 10 ms; failures from 2 s to 6 s.
std::string incident()
{
    std::string text;
    addCalls(text, 0, 2000, 100, CallOutcome::Success);
    addCalls(text, 2000, 6000, 100, CallOutcome::Failure);
    addCalls(text, 6000, 9000, 100, CallOutcome::Success);
    return text;
}

std::vector<std::string> jsonLines(ReplayRun &run, const std::string &name)
{
    std::vector<std::string> lines;
    for (const TransitionEvent &event : run.takeTransitions())
        lines.push_back(jsonTransition(name, event));
    return lines;
}

const std::string kLenient = [] {
    std::string yaml = kStrict;
    yaml.replace(yaml.find("0.5"), 3, "0.9");
    return yaml;
}();
} // namespace

class TestReplay : public QObject {
    Q_OBJECT
private slots:
    void opensWhereTheRulesSay()
    {
        ReplayRun run(recordingOf(incident()), configOf(kStrict));
        run.runToEnd();
        const auto lines = jsonLines(run, "strict");
        // The fifth failure (arrived 2.4 s, done 2.41 s) makes 5 of 10; the
        // wait of 1 s; the trial at 3.5 s fails; again at 4.51 → 5.5 fails;
        // the trial at 6.5 s succeeds.
        QCOMPARE(lines, (std::vector<std::string>{
            "{\"config\":\"strict\",\"t\":2410,\"breaker\":\"api\",\"from\":\"closed\",\"to\":\"open\",\"cause\":\"failure rate 50% ≥ 50% over 10 calls\"}",
            "{\"config\":\"strict\",\"t\":3410,\"breaker\":\"api\",\"from\":\"open\",\"to\":\"half_open\",\"cause\":\"wait of 1000 ms elapsed after open #1\"}",
            "{\"config\":\"strict\",\"t\":3510,\"breaker\":\"api\",\"from\":\"half_open\",\"to\":\"open\",\"cause\":\"trial call failed with 1 of 1 permits used\"}",
            "{\"config\":\"strict\",\"t\":4510,\"breaker\":\"api\",\"from\":\"open\",\"to\":\"half_open\",\"cause\":\"wait of 1000 ms elapsed after open #2\"}",
            "{\"config\":\"strict\",\"t\":4610,\"breaker\":\"api\",\"from\":\"half_open\",\"to\":\"open\",\"cause\":\"trial call failed with 1 of 1 permits used\"}",
            "{\"config\":\"strict\",\"t\":5610,\"breaker\":\"api\",\"from\":\"open\",\"to\":\"half_open\",\"cause\":\"wait of 1000 ms elapsed after open #3\"}",
            "{\"config\":\"strict\",\"t\":5710,\"breaker\":\"api\",\"from\":\"half_open\",\"to\":\"open\",\"cause\":\"trial call failed with 1 of 1 permits used\"}",
            "{\"config\":\"strict\",\"t\":6710,\"breaker\":\"api\",\"from\":\"open\",\"to\":\"half_open\",\"cause\":\"wait of 1000 ms elapsed after open #4\"}",
            "{\"config\":\"strict\",\"t\":6810,\"breaker\":\"api\",\"from\":\"half_open\",\"to\":\"closed\",\"cause\":\"1 trial successes ≥ 1\"}"}));
        const ReplaySummary summary = run.summary();
        QCOMPARE(summary.calls, 90u);
        QCOMPARE(summary.subjects.size(), 1u);
        QCOMPARE(summary.subjects[0].opens, 4u);
        QCOMPARE(summary.subjects[0].openNs, std::int64_t(4000) * 1000000);
        // Rejected: every arrival while open or while the trial was out.
        QCOMPARE(summary.rejected, summary.subjects[0].rejected);
        QCOMPARE(summary.rejected, 40u);
    }

    void theSameTransitionsAtAnyStep()
    {
        const auto recording = recordingOf(incident());
        ReplayRun whole(recording, configOf(kStrict));
        whole.runToEnd();
        const auto expected = jsonLines(whole, "c");
        for (const std::int64_t stepNs : {std::int64_t(1000000), std::int64_t(7777777), std::int64_t(333333333)}) {
            ReplayRun stepped(recording, configOf(kStrict));
            std::vector<std::string> got;
            for (std::int64_t t = 0; !stepped.atEnd(); t += stepNs) {
                stepped.advanceTo(t);
                for (const std::string &line : jsonLines(stepped, "c"))
                    got.push_back(line);
            }
            QCOMPARE(got, expected);
            QCOMPARE(stepped.summary().rejected, whole.summary().rejected);
        }
    }

    void rejectedCallsAdmittedByAWhatIfTakeTheLastKnownOutcome()
    {
        // Live, the breaker opened: calls from 1 s on were rejected.
        std::string text;
        addCalls(text, 0, 1000, 100, CallOutcome::Failure);
        addCalls(text, 1000, 2000, 100, CallOutcome::Rejected, 0);
        addCalls(text, 0, 500, 100, CallOutcome::Rejected, 0, "fresh");
        std::string yaml = kLenient + "    fresh: {}\n";
        ReplayRun run(recordingOf(text), configOf(yaml));
        run.runToEnd();
        const ReplaySummary s = run.summary();
        // Lenient (90%) opens only on the 10th failure; the calls after it
        // were rejected live and are failures here too, so it stays open.
        QCOMPARE(s.calls, 25u);
        QCOMPARE(s.assumed, 0u);
        QCOMPARE(s.unplayable, 5u); // "fresh" never reached its upstream
        ReplayRun unbounded(recordingOf(text), configOf("circuit_breakers:\n  default:\n    failure_threshold: 1.0\n"
                                                       "    window: {type: count, size: 100}\n    volume_threshold: 100\n"
                                                       "  services:\n    api: {}\n    fresh: {}\n"));
        unbounded.runToEnd();
        QCOMPARE(unbounded.summary().assumed, 10u);
        QCOMPARE(unbounded.summary().rejected, 0u);
        const EngineSnapshot snap = unbounded.engine().snapshot();
        QCOMPARE(snap.breaker("api")->totals.failures, 20u); // 10 recorded + 10 assumed failures
    }

    void advancingFarBeyondTheEndEndsItLikeRunToEnd()
    {
        ReplayRun whole(recordingOf(incident()), configOf(kStrict));
        whole.runToEnd();
        ReplayRun far(recordingOf(incident()), configOf(kStrict));
        far.advanceTo(std::numeric_limits<std::int64_t>::max());
        QCOMPARE(far.summary().calls, whole.summary().calls);
        QCOMPARE(far.summary().rejected, whole.summary().rejected);
        QCOMPARE(far.summary().subjects[0].opens, whole.summary().subjects[0].opens);
    }

    void servicesMissingFromTheConfigurationAreCounted()
    {
        std::string text;
        addCalls(text, 0, 300, 100, CallOutcome::Success, 1, "elsewhere");
        ReplayRun run(recordingOf(text), configOf(kStrict));
        run.runToEnd();
        QCOMPARE(run.summary().unknownService, 3u);
    }

    void whatIfsRunInOnePass()
    {
        const auto recording = recordingOf(incident());
        ReplaySet set(recording, {{"strict", configOf(kStrict)}, {"lenient", configOf(kLenient)}});
        std::vector<ReplayedTransition> all;
        for (std::int64_t t = 0; !set.atEnd(); t += 500000000) {
            auto batch = set.advanceTo(t, 2);
            all.insert(all.end(), batch.begin(), batch.end());
        }
        QCOMPARE(set.run(1).summary().subjects[0].opens, 3u); // 9 of 10 failures at 2.81 s
        std::vector<std::string> lines;
        for (const auto &t : all)
            lines.push_back(textTransition(set.names()[t.config], 7, t.event));
        QCOMPARE(lines[0], std::string("  0:02.410   strict   api  closed → open  failure rate 50% ≥ 50% over 10 calls"));
        QCOMPARE(lines[1], std::string("  0:02.810   lenient  api  closed → open  failure rate 90% ≥ 90% over 10 calls"));
        const auto table = tripComparison(set.names(), all);
        QCOMPARE(table[0], std::string("  breaker  open  strict      lenient"));
        QCOMPARE(table[1], std::string("  api      #1    0:02.410    0:02.810    differs"));
        QCOMPARE(table[2], std::string("           #2    0:03.510    0:03.910    differs"));
        QCOMPARE(table[4], std::string("           #4    0:05.710    —           differs"));
        QCOMPARE(table.size(), 5u);
    }

    void namesComeFromTheFiles()
    {
        QCOMPARE(configurationNames({"a/demo.yaml", "b/demo.yaml", "strict.yml", "noext", "x/.hidden"}),
                 (std::vector<std::string>{"demo", "demo-2", "strict", "noext", ".hidden"}));
    }

    void summaryAsJson()
    {
        ReplayRun run(recordingOf(incident()), configOf(kStrict));
        run.runToEnd();
        QCOMPARE(jsonSummary("strict", run.summary()),
                 std::string("{\"config\":\"strict\",\"summary\":{\"calls\":90,\"rejected\":40,\"would_reject\":0,"
                             "\"assumed_outcomes\":0,\"unplayable\":0,\"unknown_service\":0,\"breakers\":{\"api\":{\"opens\":4,"
                             "\"open_ms\":4000,\"rejected\":40,\"would_reject\":0}}}}"));
    }

    void monitoringComparesWithEnforcingOnTheSameTraffic()
    {
        // "Monitor for a week" against "enforce now": the same opens at the
        // same instants; one rejects what the other lets through.
        std::string monitorYaml = kStrict;
        monitorYaml.insert(monitorYaml.find("  services:"), "    enforcement: 0\n");
        std::string halfYaml = kStrict;
        halfYaml.insert(halfYaml.find("  services:"), "    enforcement: 50\n");
        const auto recording = recordingOf(incident());
        ReplaySet set(recording,
                      {{"enforce", configOf(kStrict)}, {"monitor", configOf(monitorYaml)}, {"half", configOf(halfYaml)}});
        std::vector<ReplayedTransition> all;
        for (std::int64_t t = 0; !set.atEnd(); t += 500000000) {
            auto batch = set.advanceTo(t, 2);
            all.insert(all.end(), batch.begin(), batch.end());
        }
        const auto table = tripComparison(set.names(), all);
        QCOMPARE(table[1], std::string("  api      #1    0:02.410    0:02.410    0:02.410"));
        QCOMPARE(table[4], std::string("           #4    0:05.710    0:05.710    0:05.710"));
        QCOMPARE(table.size(), 5u);

        const ReplaySummary enforce = set.run(0).summary();
        const ReplaySummary monitor = set.run(1).summary();
        const ReplaySummary half = set.run(2).summary();
        QCOMPARE(enforce.rejected, 40u);
        QCOMPARE(enforce.wouldReject, 0u);
        QCOMPARE(monitor.rejected, 0u);
        QCOMPARE(monitor.wouldReject, 40u);
        QCOMPARE(monitor.subjects[0].wouldReject, 40u);
        QCOMPARE(monitor.subjects[0].opens, enforce.subjects[0].opens);
        QCOMPARE(half.rejected + half.wouldReject, 40u);
        QCOMPARE(half.rejected, 20u);
        QCOMPARE(textSummary("monitor", monitor)[0],
                 std::string("monitor: 90 calls, 0 rejected, 40 let through that it would have rejected"));
        QCOMPARE(textSummary("monitor", monitor)[1],
                 std::string("  api  opened 4 times, open 0:04.000, 0 rejected, 40 let through (would reject)"));
    }
};

QTEST_APPLESS_MAIN(TestReplay)
#include "tst_replay.moc"
