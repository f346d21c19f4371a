// The fleet: instances merged value by value (worst state, sums, merged
// histograms, configuration differences, lost instances), and a fleet of
// real admin APIs on loopback driven through one control interface, with
// each instance's answer to a command and a partial failure shown.
#include "control/apirig.h"
#include "answers.h"
#include "tcprelay.h"

#include "remote/fleetcontrol.h"
#include "remote/fleetmerge.h"

#include <QTemporaryDir>
#include <QTest>

using namespace bb;
using namespace bb::control;
using namespace bb::remote;
using namespace bb::testing;

namespace {
BreakerSnapshot breaker(const std::string &name, BreakerState state, std::uint64_t calls, std::uint64_t failures)
{
    BreakerSnapshot b;
    b.name = name;
    b.state = state;
    b.window = {calls, failures, 0};
    b.totals.successes = calls - failures;
    b.totals.failures = failures;
    return b;
}

InstanceView instance(const std::string &name, std::vector<BreakerSnapshot> breakers,
                      std::vector<ServiceTraffic> traffic, bool live = true)
{
    auto snapshot = std::make_shared<EngineSnapshot>();
    snapshot->wallMs = 1000;
    snapshot->breakers = std::move(breakers);
    auto o = std::make_shared<Observation>();
    o->engine = snapshot;
    o->traffic = std::move(traffic);
    InstanceView v{name, QString::fromStdString("http://" + name), {}, o};
    v.link.state = live ? LinkStatus::State::Connected : LinkStatus::State::Reconnecting;
    return v;
}

ServiceTraffic traffic(const std::string &name, std::uint64_t ok, std::size_t bucket, std::uint64_t inBucket)
{
    ServiceTraffic t;
    t.name = name;
    t.outcomes[std::size_t(proxy::RequestOutcome::Success)] = ok;
    t.durations[bucket] = inBucket;
    return t;
}

// The two services, a with a stricter threshold.
std::string stricter()
{
    std::string text = kTwoServices;
    const std::string a = "    a: {}\n";
    return text.replace(text.find(a), a.size(), "    a: {failure_threshold: 0.2}\n");
}
} // namespace

class TestRemoteFleet : public QObject {
    Q_OBJECT
private slots:
    void instancesMergeValueByValue()
    {
        auto a1 = breaker("a", BreakerState::Open, 10, 6);
        auto a2 = breaker("a", BreakerState::Closed, 30, 2);
        auto a3 = breaker("a", BreakerState::ForcedOpen, 5, 0);
        a3.policy.failureRateThreshold = 20;
        const auto merged = mergeFleet({instance("one", {a1, breaker("b", BreakerState::Closed, 1, 0)},
                                                 {traffic("a", 99, 0, 99)}),
                                        instance("two", {a2}, {traffic("a", 1, 9, 1)}),
                                        instance("three", {a3}, {traffic("a", 7, 3, 7)}, false)});
        const BreakerSnapshot &a = *merged->engine->breaker("a");
        // The worst among the live: three is lost, so open, not forced open.
        QCOMPARE(a.state, BreakerState::Open);
        QCOMPARE(a.window.calls, 40u);
        QCOMPARE(a.window.failures, 8u);
        QCOMPARE(a.failureRate, 20.0); // from the summed window, not an average of 60% and 6.7%
        // Counts summed over everyone heard, the lost one's last word included.
        QCOMPARE(a.totals.successes, 4u + 28u + 5u);
        const FleetTarget &t = merged->fleet->breakers.at("a");
        QCOMPARE(t.reporting, 2);
        QCOMPARE(t.open, 1);
        QVERIFY(t.states[0] == BreakerState::Open);
        QVERIFY(t.states[1] == BreakerState::Closed);
        QVERIFY(!t.states[2]);
        QVERIFY(t.configDiffers);
        QCOMPARE(fleetStateText(a.state, t), "open on 1 of 2");
        QVERIFY(!merged->fleet->breakers.at("b").configDiffers);
        QCOMPARE(merged->fleet->breakers.at("b").reporting, 1);
        // Histograms merged bucket by bucket: p99 over 107 calls.
        const ServiceTraffic &st = merged->traffic.front();
        QCOMPARE(st.outcome(proxy::RequestOutcome::Success), 107u);
        QCOMPARE(st.durations[0], 99u);
        QCOMPARE(st.durations[3], 7u);
        QCOMPARE(st.durations[9], 1u);
        QVERIFY(durationQuantile(st.durations, 0.5) <= 1.0);
        QVERIFY(durationQuantile(st.durations, 0.99) <= 10.0);  // rank 105.9 of 107: in the 10 ms bucket
        QVERIFY(durationQuantile(st.durations, 0.995) > 500.0); // rank 106.5: the one slow call
        QCOMPARE(merged->fleet->instances.size(), std::size_t(3));
        QVERIFY(!merged->fleet->instances[2].live());
    }

    void aFleetOfRealInstancesIsOneControl()
    {
        ApiRig first, second, third(false, std::nullopt, parsed(stricter()));
        TcpRelay relay(third.server.port());
        QTemporaryDir dir;
        const QString token = dir.filePath("token");
        writeAll(token, kToken);
        FleetControl fleet;
        std::shared_ptr<const Observation> last;
        QObject::connect(&fleet, &DashboardControl::observed, &fleet,
                         [&](std::shared_ptr<const Observation> o) { last = std::move(o); });
        for (auto [name, url] : {std::pair{"eu-1", QStringLiteral("http://127.0.0.1:%1").arg(first.server.port())},
                                 std::pair{"eu-2", QStringLiteral("http://127.0.0.1:%1").arg(second.server.port())},
                                 std::pair{"us-1", relay.url()}}) {
            QString error;
            auto i = instanceFromUrl(url, token, {}, &error);
            QVERIFY(i);
            i->name = name;
            QVERIFY(fleet.add(*i).isEmpty());
        }
        QString error;
        QVERIFY(!fleet.add(*instanceFromUrl(relay.url(), token, {}, &error)).isEmpty()); // the same URL twice
        const auto connected = [&] {
            return last && last->fleet &&
                   std::all_of(last->fleet->instances.begin(), last->fleet->instances.end(),
                               [](const InstanceView &i) { return i.live(); });
        };
        QTRY_VERIFY_WITH_TIMEOUT(connected(), 5000);
        QVERIFY(last->fleet->breakers.at("a").configDiffers);
        QVERIFY(!last->fleet->breakers.at("b").configDiffers);
        QCOMPARE(fleetStateText(last->engine->breaker("a")->state, last->fleet->breakers.at("a")), "closed on 3 of 3");

        // To every instance that has it, each audited with the operator.
        const auto all = wait(fleet.changeState(TargetKind::Breaker, "a", {OperatorAction::ForceOpen, "alice", "drill", {}},
                                                {"alice", "gui"}));
        QVERIFY(all->ok());
        QCOMPARE(all->instances.size(), std::size_t(3));
        for (ApiRig *api : {&first, &second, &third}) {
            QCOMPARE(api->rig.state("a"), BreakerState::ForcedOpen);
            QCOMPARE(api->rig.control->audit(1).front().actor, "alice");
        }
        QTRY_COMPARE(fleetStateText(last->engine->breaker("a")->state, last->fleet->breakers.at("a")), "open on 3 of 3");

        // Only where the scope says.
        const auto one = wait(fleet.changeState(TargetKind::Breaker, "b", {OperatorAction::Disable, "alice", "one only", {}},
                                                {"alice", "gui"}, Scope{{"eu-2"}}));
        QVERIFY(one->ok());
        QCOMPARE(one->instances.size(), std::size_t(1));
        QCOMPARE(first.rig.state("b"), BreakerState::Closed);
        QCOMPARE(second.rig.state("b"), BreakerState::Disabled);

        // One instance lost: it greys out, the others go on, and a command
        // shows what each did, the failure included.
        relay.refuse();
        relay.cut();
        QTRY_VERIFY(last->fleet->instances[2].link.state == LinkStatus::State::Reconnecting);
        QVERIFY(last->fleet->instances[0].live() && last->fleet->instances[1].live());
        const auto partial = wait(fleet.changeState(TargetKind::Breaker, "a", {OperatorAction::Reset, "alice", "back", {}},
                                                    {"alice", "gui"}));
        QCOMPARE(partial->status, CommandResult::Status::Unavailable);
        QCOMPARE(partial->instances.size(), std::size_t(3));
        QVERIFY(partial->instances[0].result.ok());
        QVERIFY(partial->instances[1].result.ok());
        QCOMPARE(partial->instances[2].instance, "us-1");
        QCOMPARE(partial->instances[2].result.status, CommandResult::Status::Unavailable);
        QVERIFY(partial->unavailable.startsWith("us-1: "));
        QCOMPARE(first.rig.state("a"), BreakerState::Closed);
        QCOMPARE(third.rig.state("a"), BreakerState::ForcedOpen);
        QTRY_COMPARE(fleetStateText(last->engine->breaker("a")->state, last->fleet->breakers.at("a")), "closed on 2 of 2");

        relay.accept();
        QTRY_VERIFY_WITH_TIMEOUT(connected(), 10000);
        QCOMPARE(fleetStateText(last->engine->breaker("a")->state, last->fleet->breakers.at("a")), "open on 1 of 3");
        const auto history = wait(fleet.history(100));
        QVERIFY(std::any_of(history->audit.begin(), history->audit.end(),
                            [](const persist::AuditEntry &e) { return e.instance == "us-1" && e.reason == "drill"; }));
    }
};

QTEST_GUILESS_MAIN(TestRemoteFleet)
#include "tst_remote_fleet.moc"
