// What survives a restart: forced states with reason and expiry, policy edits
// (overlay) and the audit log; and what a damaged file does to a start.
#include "controltesting.h"

#include "persist/forcedstates.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace bb;
using namespace bb::control;
using namespace bb::testing;

namespace {
StateFiles filesIn(const QTemporaryDir &dir)
{
    return {dir.filePath("forced-states.json"), dir.filePath("audit.jsonl"), dir.filePath("config.overlay.yaml")};
}

// A second start over the same files: the configuration with the overlay, then the state.
std::unique_ptr<ControlRig> restart(const QTemporaryDir &dir, std::int64_t wallOriginMs, QStringList *notes)
{
    Configuration config = parsed(kTwoServices);
    persist::PolicyOverlay overlay;
    if (!overlay.load(filesIn(dir).policyOverlay).empty() || !overlay.applyTo(config, "overlay").empty())
        return nullptr;
    auto rig = std::make_unique<ControlRig>(config, wallOriginMs);
    *notes = rig->control->persistTo(filesIn(dir));
    return rig;
}
} // namespace

class TestControlPersist : public QObject {
    Q_OBJECT
private slots:
    void forcedStatesEditsAndAuditComeBackAfterARestart()
    {
        QTemporaryDir dir;
        const std::int64_t origin = 1'700'000'000'000;
        {
            ControlRig rig({parsed(kTwoServices)}, origin);
            QVERIFY(rig.control->persistTo(filesIn(dir)).isEmpty());
            QVERIFY(rig.control->changeState(TargetKind::Breaker, "a",
                                             command(OperatorAction::ForceOpen, "db migration", std::chrono::seconds(600)),
                                             {"alice", "gui"}).ok());
            QVERIFY(rig.control->changeState(TargetKind::Breaker, "b", command(OperatorAction::Disable, "noisy"),
                                             {"bob", "api 127.0.0.1"}).ok());
            QVERIFY(rig.control->changeState(TargetKind::Group, "g", command(OperatorAction::ForceClosed, "drill"),
                                             {"carol", "api 127.0.0.1"}).ok());
            QVERIFY(rig.control->editPolicy("b", "{\"half_open\": {\"permitted_calls\": 5}}", WindowEdit::Keep, {},
                                            {"dave", "gui"}).ok());
            QVERIFY(rig.control->editPolicy("b", "{\"half_open\": {\"success_threshold\": 2}}", WindowEdit::Keep, {},
                                            {"dave", "gui"}).ok());
        }
        const QJsonObject saved = QJsonDocument::fromJson(readAll(filesIn(dir).forcedStates)).object();
        QCOMPARE(saved.value("breakers").toArray().size(), 2);
        QCOMPARE(saved.value("groups").toArray().size(), 1);
        QCOMPARE(readAll(filesIn(dir).auditLog).count('\n'), 5);

        QStringList notes;
        // Started again 100 s later.
        auto rig = restart(dir, origin + 100'000, &notes);
        QVERIFY(rig);
        QCOMPARE(rig->state("a"), BreakerState::ForcedOpen);
        const BreakerSnapshot *a = rig->control->snapshot()->breaker("a");
        QCOMPARE(a->lastCause.actor, std::string("alice"));
        QCOMPARE(a->lastCause.reason, std::string("db migration"));
        QCOMPARE(toMs(*a->expiresIn), std::int64_t(500'000));
        QCOMPARE(rig->state("b"), BreakerState::Disabled);
        QCOMPARE(rig->control->snapshot()->breaker("b")->lastCause.reason, std::string("noisy"));
        QVERIFY(!rig->control->snapshot()->breaker("b")->expiresIn);
        QCOMPARE(rig->engine.group("g")->state(), BreakerState::ForcedClosed);
        QCOMPARE(notes.size(), 3);
        QVERIFY(notes.contains("breaker a: force_open again (alice: db migration)"));

        // Both edits merged in the overlay, on top of the file's values.
        QCOMPARE(rig->engine.breaker("b")->policy().halfOpenPermittedCalls, 5u);
        QCOMPARE(rig->engine.breaker("b")->policy().halfOpenSuccessThreshold, 2u);
        QCOMPARE(rig->engine.breaker("a")->policy().halfOpenPermittedCalls, 3u);

        const auto audit = rig->control->audit(100);
        QCOMPARE(audit.size(), std::size_t(5));
        QCOMPARE(audit.front().actor, std::string("alice"));
        QCOMPARE(audit.back().action, std::string("edit_policy"));
    }

    void aForceThatExpiredWhileStoppedIsNotRestored()
    {
        QTemporaryDir dir;
        const std::int64_t origin = 1'700'000'000'000;
        {
            ControlRig rig({parsed(kTwoServices)}, origin);
            rig.control->persistTo(filesIn(dir));
            rig.control->changeState(TargetKind::Breaker, "a",
                                     command(OperatorAction::ForceOpen, "short", std::chrono::seconds(60)), {"x", "gui"});
        }
        QStringList notes;
        auto rig = restart(dir, origin + 61'000, &notes);
        QCOMPARE(rig->state("a"), BreakerState::Closed);
        QCOMPARE(notes, QStringList{"breaker a: its force_open expired while stopped"});
        // The file follows: nothing is forced any more.
        QCOMPARE(QJsonDocument::fromJson(readAll(filesIn(dir).forcedStates)).object().value("breakers").toArray().size(), 0);
    }

    void theFileFollowsExpiriesAndResets()
    {
        QTemporaryDir dir;
        ControlRig rig;
        rig.control->persistTo(filesIn(dir));
        rig.control->changeState(TargetKind::Breaker, "a", command(OperatorAction::ForceOpen, "r", std::chrono::seconds(5)),
                                 {"x", "gui"});
        rig.control->changeState(TargetKind::Breaker, "b", command(OperatorAction::ForceClosed), {"x", "gui"});
        auto saved = persist::loadForcedStates(filesIn(dir).forcedStates);
        QCOMPARE(saved.states.size(), std::size_t(2));
        QCOMPARE(*saved.states[0].expiresAtMs, std::int64_t(1'700'000'000'000 + 1'000'000 + 5'000));

        rig.clock.advance(std::chrono::seconds(6));
        rig.control->sample();
        saved = persist::loadForcedStates(filesIn(dir).forcedStates);
        QCOMPARE(saved.states.size(), std::size_t(1));
        QCOMPARE(saved.states[0].name, std::string("b"));

        rig.control->changeState(TargetKind::Breaker, "b", command(OperatorAction::Reset), {"x", "gui"});
        QVERIFY(persist::loadForcedStates(filesIn(dir).forcedStates).states.empty());
    }

    void damagedFilesAreReportedAndSetAside()
    {
        QTemporaryDir dir;
        writeAll(filesIn(dir).forcedStates, "{\"version\": 1, \"breakers\": [");
        writeAll(filesIn(dir).auditLog,
                 "{\"time_ms\":1,\"action\":\"force_open\",\"target\":\"breaker/a\",\"actor\":\"x\"}\n"
                 "{\"time_ms\":2,\"acti\n"
                 "{\"time_ms\":3,\"action\":\"reset\",\"target\":\"breaker/a\",\"actor\":\"x\"}\n");
        ControlRig rig;
        const QStringList notes = rig.control->persistTo(filesIn(dir));
        QCOMPARE(notes.size(), 2);
        QVERIFY2(notes[0].endsWith("skipped 1 unreadable line(s)"), qPrintable(notes.join('|')));
        QVERIFY2(notes[1].contains("is not a forced-states file of this version"), qPrintable(notes.join('|')));
        QCOMPARE(readAll(filesIn(dir).forcedStates + ".unreadable"), QByteArray("{\"version\": 1, \"breakers\": ["));
        QCOMPARE(rig.control->audit(10).size(), std::size_t(2));

        // Appending goes on after the damaged line.
        rig.control->changeState(TargetKind::Breaker, "a", command(OperatorAction::ForceOpen), {"x", "gui"});
        QCOMPARE(rig.control->audit(10).size(), std::size_t(3));
        QVERIFY(readAll(filesIn(dir).auditLog).endsWith("\"target\":\"breaker/a\",\"time_ms\":1700001000000}\n"));
        QCOMPARE(persist::loadForcedStates(filesIn(dir).forcedStates).states.size(), std::size_t(1));
    }

    void aBadOverlayIsAnErrorWithItsPosition()
    {
        QTemporaryDir dir;
        writeAll(filesIn(dir).policyOverlay, "a:\n  failure_threshold: 2\nzzz:\n  volume_threshold: 3\n");
        persist::PolicyOverlay overlay;
        QVERIFY(overlay.load(filesIn(dir).policyOverlay).empty());
        Configuration config = parsed(kTwoServices);
        const auto issues = overlay.applyTo(config, "o.yaml");
        QCOMPARE(issues.size(), std::size_t(2));
        QCOMPARE(issues[0].toString(), std::string("o.yaml:1:1: the overlay entry of 'a': failure_threshold must be between 0 and 1, got 2"));
        QCOMPARE(issues[1].toString(), std::string("o.yaml:1:1: the overlay edits 'zzz', which the configuration lacks"));

        writeAll(filesIn(dir).policyOverlay, "a: [1, 2]\n");
        const auto bad = overlay.load(filesIn(dir).policyOverlay);
        QCOMPARE(bad.size(), std::size_t(1));
        QVERIFY(bad[0].toString().ends_with(":1:4: the overlay entry of 'a' must be a mapping of policy keys"));
        QVERIFY(overlay.empty());
    }
};

QTEST_GUILESS_MAIN(TestControlPersist)
#include "tst_control_persist.moc"
