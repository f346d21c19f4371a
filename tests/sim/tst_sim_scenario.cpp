// Training scenarios: the shipped files load; bad files are refused with
// positions; the player hands out steps on time, loops, and restarts.
#include "sim/scenario.h"
#include "sim/seedservices.h"

#include <QDir>
#include <QTest>

using namespace bb;
using namespace bb::sim;

namespace {
std::string wrap(const std::string &steps, const std::string &head = "  name: t\n  duration: 60\n")
{
    return "scenario:\n" + head + "  steps:\n" + steps;
}
} // namespace

class TestSimScenario : public QObject {
    Q_OBJECT
private slots:
    void theShippedScenariosLoad()
    {
        const QDir dir(QStringLiteral(SCENARIO_DIR));
        const QStringList files = dir.entryList({QStringLiteral("*.yaml")}, QDir::Files);
        QVERIFY(files.size() >= 3);
        for (const QString &f : files) {
            const ScenarioResult r = loadScenario(dir.filePath(f).toStdString(), demoServiceNames());
            QVERIFY2(r.scenario, r.issues.empty() ? "" : r.issues.front().toString().c_str());
            QVERIFY(!r.scenario->steps.empty());
        }
        const ScenarioResult def = loadScenario(dir.filePath("default.yaml").toStdString(), demoServiceNames());
        QCOMPARE(def.scenario->duration, 180.0);
        QCOMPARE(def.scenario->name, std::string("Everything in three minutes"));
        const ScenarioStep &tripping = def.scenario->steps.at(6);
        QCOMPARE(tripping.at, 10.0);
        QCOMPARE(tripping.service, std::string("payment-service"));
        QCOMPARE(*tripping.failureRate, 0.6);
        QVERIFY(!tripping.latency);
        QCOMPARE(toMs(*def.scenario->steps.at(1).latency), std::int64_t(40));
    }

    void theDemoConfigurationHasEveryDemoService()
    {
        const ConfigResult r = loadConfiguration(DEMO_YAML);
        QVERIFY2(r.ok(), r.issues.empty() ? "" : r.issues.front().toString().c_str());
        std::vector<std::string> names;
        for (const auto &s : r.config->services) {
            names.push_back(s.name);
            QCOMPARE(s.routes.at(0).pathPrefix, "/" + s.name);
        }
        std::vector<std::string> expected = demoServiceNames();
        std::sort(names.begin(), names.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(names, expected);
        QCOMPARE(r.config->groups.size(), std::size_t(3));
        QCOMPARE(r.config->service("external-api")->fallback.alternative, std::string("backup-api"));
        QVERIFY(r.config->service("user-service")->policy.slowCallRateThreshold.has_value());
    }

    void badScenariosAreRefusedWithPositions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *name, const std::string &text, const char *message) {
            QTest::newRow(name) << QString::fromStdString(text) << QString::fromLatin1(message);
        };
        row("not yaml", "scenario: [", "t.yaml:1:1: YAML syntax: end of sequence flow not found");
        row("no scenario key", "steps: []\n", "t.yaml:1:1: a scenario file is a mapping with one key, 'scenario'");
        row("unknown top key", "scenario:\n  name: t\n  duration: 5\n  steps: [{at: 0, caption: x}]\nextra: 1\n",
            "t.yaml:5:1: unknown key 'extra' in the top level");
        row("no name", "scenario:\n  duration: 5\n  steps: [{at: 0, caption: x}]\n", "t.yaml:2:3: a scenario needs a name");
        row("no duration", "scenario:\n  name: t\n  steps: [{at: 0, caption: x}]\n",
            "t.yaml:2:3: a scenario needs 'duration' (seconds)");
        row("duration zero", "scenario:\n  name: t\n  duration: 0\n  steps: [{at: 0, caption: x}]\n",
            "t.yaml:3:13: duration must be between 1 and 86400, got 0");
        row("no steps", "scenario:\n  name: t\n  duration: 5\n", "t.yaml:2:3: a scenario needs 'steps', a list");
        row("step not a map", wrap("    - 5\n"),
            "t.yaml:5:7: a step must be a mapping such as {at: 10, service: NAME, failure_rate: 0.5}");
        row("no at", wrap("    - {caption: x}\n"), "t.yaml:5:7: a step needs 'at' (seconds from the start)");
        row("unknown step key", wrap("    - {at: 1, service: bank-api, error_rate: 0.5}\n"),
            "t.yaml:5:34: unknown key 'error_rate' in a step");
        row("unknown service", wrap("    - {at: 1, service: nope, outage: true}\n"), "t.yaml:5:24: unknown service 'nope'");
        row("rate out of range", wrap("    - {at: 1, service: bank-api, failure_rate: 1.5}\n"),
            "t.yaml:5:48: failure_rate must be between 0 and 1, got 1.5");
        row("latency a word", wrap("    - {at: 1, service: bank-api, latency: slow}\n"),
            "t.yaml:5:43: latency (milliseconds) must be a number, got 'slow'");
        row("outage not bool", wrap("    - {at: 1, service: bank-api, outage: maybe}\n"),
            "t.yaml:5:42: outage must be true or false");
        row("change without service", wrap("    - {at: 1, failure_rate: 0.5}\n"),
            "t.yaml:5:7: a step that changes something needs 'service'");
        row("empty step", wrap("    - {at: 1, service: bank-api}\n"),
            "t.yaml:5:7: a step must change something or have a caption");
        row("out of order", wrap("    - {at: 10, caption: a}\n    - {at: 5, caption: b}\n"),
            "t.yaml:6:12: steps must be in time order: this one comes before the one above it");
        row("after the end", wrap("    - {at: 60, caption: a}\n"),
            "t.yaml:5:12: a step at or after the scenario's duration never runs");
    }

    void badScenariosAreRefusedWithPositions()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const ScenarioResult r = parseScenario(text.toStdString(), "t.yaml", demoServiceNames());
        QVERIFY(!r.scenario);
        QVERIFY(!r.issues.empty());
        QCOMPARE(QString::fromStdString(r.issues.front().toString()), message);
    }

    void thePlayerHandsOutStepsOnTimeAndLoops()
    {
        const ScenarioResult r = parseScenario(wrap("    - {at: 0, caption: start}\n"
                                                    "    - {at: 10, service: bank-api, outage: true, caption: down}\n"
                                                    "    - {at: 30, service: bank-api, outage: false}\n"),
                                               "t.yaml", {});
        QVERIFY(r.scenario);
        ScenarioPlayer player(*r.scenario);
        auto due = player.advance(0);
        QCOMPARE(due.size(), std::size_t(1));
        QCOMPARE(player.caption(), std::string("start"));
        QVERIFY(player.advance(9.9).empty());
        due = player.advance(0.1);
        QCOMPARE(due.size(), std::size_t(1));
        QCOMPARE(*due[0].outage, true);
        QCOMPARE(player.caption(), std::string("down"));
        // 25 s on, past the end (60): the rest of this round and the start of the next.
        QCOMPARE(player.advance(25).size(), std::size_t(1)); // at 30
        due = player.advance(30);                            // 65: wraps to 5
        QCOMPARE(due.size(), std::size_t(1));
        QCOMPARE(due[0].caption, std::string("start"));
        QCOMPARE(player.position(), 5.0);

        player.restart();
        QCOMPARE(player.position(), 0.0);
        QCOMPARE(player.advance(10).size(), std::size_t(2));
    }

    void aScenarioWithoutLoopEnds()
    {
        const ScenarioResult r = parseScenario(wrap("    - {at: 0, caption: start}\n", "  name: t\n  duration: 20\n  loop: false\n"),
                                               "t.yaml", {});
        QVERIFY(r.scenario);
        ScenarioPlayer player(*r.scenario);
        QCOMPARE(player.advance(50).size(), std::size_t(1));
        QVERIFY(player.finished());
        QCOMPARE(player.position(), 20.0);
        QVERIFY(player.advance(50).empty());
    }
};

QTEST_GUILESS_MAIN(TestSimScenario)
#include "tst_sim_scenario.moc"
