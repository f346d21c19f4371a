// The admin API's JSON read back: what a remote dashboard reads of an
// instance is what the instance has (snapshots, transitions with their
// window, traffic, the link to the shared state), and anything malformed is refused, never half-read. The
// event stream's changes: only what changed, the whole when the set changed.
#include "controltesting.h"

#include "control/apijson.h"
#include "control/sharedstatus.h"
#include "control/streamchanges.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace bb;
using namespace bb::control;
using namespace bb::testing;

namespace {
const std::string kConfig = kCountWindowDefaults +
                            "  services:\n"
                            "    a: {enforcement: 50}\n"
                            "    b:\n"
                            "      window: {type: time, size: 30}\n"
                            "      volume_threshold: 2\n"
                            "      slow_call: {duration: 250, rate_threshold: 0.8}\n"
                            "      backoff: {multiplier: 2, max_wait: 60000, jitter: 0.1}\n"
                            "      consecutive_failures: 7\n"
                            "      half_open: {permitted_calls: 5, success_threshold: 4}\n"
                            "  hierarchical:\n"
                            "    groups:\n"
                            "      g:\n"
                            "        services: [a, b]\n"
                            "        group_threshold: 0.5\n";

void call(ControlRig &rig, const char *name, Outcome outcome, int times, Duration latency = std::chrono::milliseconds(5))
{
    for (int i = 0; i < times; ++i) {
        auto breaker = rig.engine.breaker(name);
        const Permit p = breaker->tryAcquire();
        if (p)
            breaker->record(p, outcome, latency);
        rig.clock.advance(std::chrono::milliseconds(300));
    }
}

QJsonObject reparsed(const QJsonObject &o) { return QJsonDocument::fromJson(QJsonDocument(o).toJson()).object(); }

// Everything a breaker snapshot says that the JSON carries, at millisecond precision.
void compareBreakers(const BreakerSnapshot &got, const BreakerSnapshot &want)
{
    QCOMPARE(got.name, want.name);
    QCOMPARE(got.state, want.state);
    QCOMPARE(got.generation, want.generation);
    QCOMPARE(toMs(got.timeInState), toMs(want.timeInState));
    QCOMPARE(got.nextTrialIn.has_value(), want.nextTrialIn.has_value());
    if (want.nextTrialIn)
        QCOMPARE(toMs(*got.nextTrialIn), toMs(*want.nextTrialIn));
    QCOMPARE(got.expiresIn.has_value(), want.expiresIn.has_value());
    if (want.expiresIn)
        QCOMPARE(toMs(*got.expiresIn), toMs(*want.expiresIn));
    QVERIFY(got.wall == want.wall);
    QCOMPARE(got.window, want.window);
    QCOMPARE(got.failureRate, want.failureRate);
    QCOMPARE(got.slowCallRate, want.slowCallRate);
    QVERIFY(got.totals == want.totals);
    QCOMPARE(got.halfOpenPermitsUsed, want.halfOpenPermitsUsed);
    QCOMPARE(got.halfOpenPermitsLeft, want.halfOpenPermitsLeft);
    QCOMPARE(got.consecutiveFailures, want.consecutiveFailures);
    QCOMPARE(got.opensSinceClosed, want.opensSinceClosed);
    QVERIFY(got.lastCause == want.lastCause);
    QVERIFY(got.policy == want.policy);
    QCOMPARE(got.groups, want.groups);
}
} // namespace

class TestApiJson : public QObject {
    Q_OBJECT
private slots:
    void aSnapshotReadsBackAsItWasInBothForms()
    {
        ControlRig rig(parsed(kConfig));
        call(rig, "a", Outcome::Failure, 4); // opens a
        call(rig, "a", Outcome::Success, 5); // three let through, two rejected
        call(rig, "b", Outcome::Success, 3, std::chrono::milliseconds(400));
        QVERIFY(rig.control->changeState(TargetKind::Breaker, "b",
                                         command(OperatorAction::ForceClosed, "drill", std::chrono::seconds(90)),
                                         {"alice", "gui"})
                    .ok());
        rig.clock.advance(std::chrono::milliseconds(1500));
        rig.control->sample();
        const EngineSnapshot &want = *rig.control->snapshot();
        QCOMPARE(want.breaker("a")->state, BreakerState::Open);
        QVERIFY(want.breaker("a")->nextTrialIn);
        QVERIFY(want.breaker("b")->expiresIn);
        QCOMPARE(want.breaker("a")->totals.wouldRejectTotal(), 3u);
        QCOMPARE(want.breaker("a")->totals.rejectedTotal(), 2u);
        QCOMPARE(want.breaker("a")->policy.enforcement, 50.0);
        const QJsonObject aJson = breakerJson(*want.breaker("a"), Times::Relative);
        QCOMPARE(aJson["enforcement"].toDouble(), 50.0);
        QCOMPARE(aJson["totals"].toObject()["would_reject"].toDouble(), 3.0);
        QCOMPARE(aJson["totals"].toObject()["would_reject_by_reason"].toObject()["breaker_open"].toDouble(), 3.0);

        for (const Times times : {Times::Relative, Times::Absolute}) {
            for (const BreakerSnapshot &b : want.breakers) {
                const auto got = breakerFromJson(reparsed(breakerJson(b, times)), want.wallMs, times);
                QVERIFY(got);
                compareBreakers(*got, b);
            }
            const GroupSnapshot &g = want.groups.front();
            const auto group = groupFromJson(reparsed(groupJson(g, times)), want.wallMs, times);
            QVERIFY(group);
            QCOMPARE(group->name, g.name);
            QCOMPARE(group->state, g.state);
            QCOMPARE(group->members, g.members);
            QCOMPARE(group->membersOpen, g.membersOpen);
            QCOMPARE(group->threshold, g.threshold);
            QCOMPARE(toMs(group->timeInState), toMs(g.timeInState));
        }
        // Instants read against a later time: the time in the state has grown.
        const BreakerSnapshot &a = *want.breaker("a");
        const auto later = breakerFromJson(breakerJson(a, Times::Absolute), want.wallMs + 2000, Times::Absolute);
        QCOMPARE(toMs(later->timeInState), toMs(a.timeInState) + 2000);
        QCOMPARE(toMs(*later->nextTrialIn), toMs(*a.nextTrialIn) - 2000);
    }

    void transitionsKeepTheirWindow()
    {
        ControlRig rig(parsed(kConfig));
        call(rig, "a", Outcome::Success, 1);
        call(rig, "a", Outcome::Failure, 3);
        call(rig, "b", Outcome::Failure, 1, std::chrono::milliseconds(300));
        call(rig, "b", Outcome::Failure, 1);
        rig.control->sample();
        const auto events = rig.control->transitions(10);
        QVERIFY(events.size() >= 3); // a opens, b opens, the group opens
        bool sawCount = false, sawTime = false, sawGroup = false;
        for (const TransitionEvent &e : events) {
            const auto got = transitionFromJson(reparsed(transitionJson(e)));
            QVERIFY(got);
            QCOMPARE(got->sequence, e.sequence);
            QCOMPARE(got->subject, e.subject);
            QCOMPARE(got->isGroup, e.isGroup);
            QCOMPARE(got->from, e.from);
            QCOMPARE(got->to, e.to);
            QCOMPARE(got->wallMs, e.wallMs);
            QCOMPARE(got->generation, e.generation);
            QVERIFY(got->cause == e.cause);
            QCOMPARE(got->enforcement, e.enforcement);
            QCOMPARE(e.enforcement, e.subject == "a" ? 50.0 : 100.0);
            QCOMPARE(got->window.type, e.window.type);
            QCOMPARE(got->window.totals, e.window.totals);
            QVERIFY(got->window.buckets == e.window.buckets);
            QVERIFY(got->window.calls == e.window.calls);
            sawGroup |= e.isGroup;
            sawCount |= !e.isGroup && e.window.type == WindowType::Count && e.window.calls.size() == 4;
            sawTime |= !e.isGroup && e.window.type == WindowType::Time && !e.window.buckets.empty();
        }
        QVERIFY(sawCount && sawTime && sawGroup);
    }

    void trafficReadsBackAndMerges()
    {
        ServiceTraffic t;
        t.name = "a";
        for (std::size_t i = 0; i < t.outcomes.size(); ++i)
            t.outcomes[i] = 10 + i;
        t.fallbacks[std::size_t(FallbackStrategy::Cache)] = 3;
        t.fallbacks[std::size_t(FallbackStrategy::AlternativeService)] = 4;
        for (std::size_t i = 0; i < t.durations.size(); ++i)
            t.durations[i] = i * i;
        t.lastFailure = {"upstream refused the connection: Connection refused", 1'700'000'000'123};
        const auto got = trafficFromJson(reparsed(trafficJson(t)));
        QVERIFY(got);
        QVERIFY(*got == t);
        ServiceTraffic sum = t;
        sum += *got;
        QCOMPARE(sum.requests(), 2 * t.requests());
        ServiceTraffic later;
        later.lastFailure = {"no complete response within 1000 ms", 1'700'000'000'999};
        sum += later; // the later failure is the one kept
        QCOMPARE(sum.lastFailure.text, std::string("no complete response within 1000 ms"));
        QJsonObject zeroTime = trafficJson(t);
        zeroTime.insert("last_failure", QJsonObject{{"text", "x"}, {"time_ms", 0}});
        QVERIFY(!trafficFromJson(zeroTime));
        QCOMPARE(sum.durations.back(), 2 * t.durations.back());
        // Merged histograms, not averaged percentiles: the p99 of the sum is the
        // p99 of the counts together.
        ServiceTraffic fast, slow;
        fast.durations[0] = 99; // ≤ 1 ms
        slow.durations[9] = 1;  // ≤ 1000 ms
        ServiceTraffic both = fast;
        both += slow;
        QVERIFY(durationQuantile(both.durations, 0.99) <= 1.0);
        QVERIFY(durationQuantile(both.durations, 0.999) > 500.0);
        QVERIFY(sameDurationBounds(durationBoundsJson()));
        QVERIFY(!sameDurationBounds(QJsonArray{1, 2, 3}));
    }

    void sharedStateReadsBackAsItWas()
    {
        const SharedStateStatus s{SharedStateStatus::Link::Down, "shop", "10.0.0.5:6379/2", "eu-1", "follow",
                                  "Connection refused", 1'700'000'000'123, 7, 12};
        const auto got = sharedStateFromJson(reparsed(sharedStateJson(s)));
        QVERIFY(got);
        QCOMPARE(got->sinceMs, s.sinceMs);
        QCOMPARE(got->refusedRecords, s.refusedRecords);
        QCOMPARE(got->unsent, s.unsent);
        QVERIFY(*got == s);
    }

    void malformedJsonIsRefusedWhole_data()
    {
        QTest::addColumn<QString>("path"); // key inside the breaker's JSON, "a.b" for nested
        QTest::addColumn<QJsonValue>("value");
        const QJsonValue none; // undefined: the key removed
        QTest::newRow("no name") << "name" << none;
        QTest::newRow("empty name") << "name" << QJsonValue("");
        QTest::newRow("unknown state") << "state" << QJsonValue("ajar");
        QTest::newRow("state a number") << "state" << QJsonValue(3);
        QTest::newRow("negative generation") << "generation" << QJsonValue(-1);
        QTest::newRow("fractional count") << "consecutive_failures" << QJsonValue(1.5);
        QTest::newRow("count beyond 2^53") << "consecutive_failures" << QJsonValue(1e300);
        QTest::newRow("rate a string") << "failure_rate" << QJsonValue("50");
        QTest::newRow("cause not a cause") << "cause.text" << QJsonValue("because");
        QTest::newRow("window not an object") << "window" << QJsonValue(QJsonArray{});
        QTest::newRow("totals missing") << "totals" << none;
        QTest::newRow("rejected reason missing") << "totals.rejected_by_reason" << QJsonValue(QJsonObject{});
        QTest::newRow("policy out of range") << "policy.failure_threshold" << QJsonValue(7);
        QTest::newRow("policy unknown key") << "policy.surprise" << QJsonValue(1);
        QTest::newRow("groups not names") << "groups" << QJsonValue(QJsonArray{1});
        QTest::newRow("since missing") << "since_ms" << none;
        QTest::newRow("next trial a string") << "next_trial_at_ms" << QJsonValue("soon");
    }

    void malformedJsonIsRefusedWhole()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        ControlRig rig(parsed(kConfig));
        rig.control->sample();
        const auto &snapshot = *rig.control->snapshot();
        QJsonObject o = breakerJson(snapshot.breakers.front(), Times::Absolute);
        QVERIFY(breakerFromJson(o, snapshot.wallMs, Times::Absolute));
        const QStringList keys = path.split('.');
        std::function<void(QJsonObject &, int)> set = [&](QJsonObject &at, int i) {
            if (i + 1 == keys.size()) {
                if (value.isUndefined())
                    at.remove(keys[i]);
                else
                    at.insert(keys[i], value);
                return;
            }
            QJsonObject inner = at.value(keys[i]).toObject();
            set(inner, i + 1);
            at.insert(keys[i], inner);
        };
        set(o, 0);
        QVERIFY(!breakerFromJson(o, snapshot.wallMs, Times::Absolute));
    }

    void malformedTransitionsAndTrafficAreRefused()
    {
        ServiceTraffic t;
        t.name = "a";
        QJsonObject o = trafficJson(t);
        o.insert("durations", QJsonArray{1, 2});
        QVERIFY(!trafficFromJson(o));
        o = trafficJson(t);
        o.insert("outcomes", QJsonObject{{"success", -4}});
        QVERIFY(!trafficFromJson(o));

        TransitionEvent e;
        e.subject = "a";
        e.window.type = WindowType::Count;
        e.window.calls = {{true, false}, {false, true}};
        QVERIFY(transitionFromJson(transitionJson(e)));
        QJsonObject bad = transitionJson(e);
        QJsonObject window = bad.value("window").toObject();
        window.insert("recent_calls", "F?");
        bad.insert("window", window);
        QVERIFY(!transitionFromJson(bad));
        window.insert("type", "sliding");
        bad.insert("window", window);
        QVERIFY(!transitionFromJson(bad));
        bad = transitionJson(e);
        bad.insert("to", "sideways");
        QVERIFY(!transitionFromJson(bad));
    }

    void theStreamSendsOnlyWhatChanged()
    {
        ControlRig rig(parsed(kConfig));
        StreamChanges changes;
        // b changes state between two milliseconds: its instants must not
        // move as the time in the state grows.
        rig.clock.advance(std::chrono::microseconds(300));
        QVERIFY(rig.control->changeState(TargetKind::Breaker, "b", command(OperatorAction::ForceClosed), {"bob", "gui"}).ok());
        rig.control->sample();
        const std::uint64_t first = changes.take(*rig.control->snapshot(), {});
        QCOMPARE(changes.whole().value("breakers").toArray().size(), 2);

        // Time passes, nothing happens: nothing changed, not even the time in state.
        rig.clock.advance(std::chrono::microseconds(5'432'700));
        rig.control->sample();
        const std::uint64_t quiet = changes.take(*rig.control->snapshot(), {});
        QVERIFY(changes.since(first));
        QCOMPARE(changes.since(first)->keys(), QStringList{"time_ms"});

        // One breaker forced open: it and its group change, the other does not.
        QVERIFY(rig.control->changeState(TargetKind::Breaker, "a", command(OperatorAction::ForceOpen), {"bob", "gui"}).ok());
        rig.control->sample();
        changes.take(*rig.control->snapshot(), {});
        const auto update = changes.since(quiet);
        QVERIFY(update);
        const QJsonArray breakers = update->value("breakers").toArray();
        QCOMPARE(breakers.size(), 1);
        QCOMPARE(breakers[0].toObject().value("name").toString(), "a");
        QCOMPARE(breakers[0].toObject().value("state").toString(), "forced_open");
        // A reader further behind gets everything since its own version.
        QCOMPARE(changes.since(first)->value("breakers").toArray().size(), 1);

        // Traffic appears: the set of services changed, so only the whole will do.
        ServiceTraffic t;
        t.name = "a";
        const std::uint64_t before = changes.version();
        changes.take(*rig.control->snapshot(), {t});
        QVERIFY(!changes.since(before));
        QCOMPARE(changes.whole().value("traffic").toArray().size(), 1);
        t.outcomes[0] = 1;
        const std::uint64_t withTraffic = changes.version();
        changes.take(*rig.control->snapshot(), {t});
        QCOMPARE(changes.since(withTraffic)->value("traffic").toArray().size(), 1);
        QVERIFY(!changes.since(withTraffic)->contains("breakers"));
    }
};

QTEST_GUILESS_MAIN(TestApiJson)
#include "tst_control_apijson.moc"
