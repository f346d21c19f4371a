// The control interface: state changes with actor, reason and expiry, policy
// edits with per-field errors, transition and audit history, signals.
#include "controltesting.h"

#include <QSignalSpy>

using namespace bb;
using namespace bb::control;
using namespace bb::testing;

class TestControlService : public QObject {
    Q_OBJECT
private slots:
    void aStateChangeIsAppliedAuditedAndSignalled()
    {
        ControlRig rig;
        QSignalSpy transitioned(rig.control.get(), &ControlService::transitioned);
        QSignalSpy audited(rig.control.get(), &ControlService::audited);
        const CommandResult r = rig.control->changeState(TargetKind::Breaker, "a",
                                                         command(OperatorAction::ForceOpen, "db migration", std::chrono::seconds(600)),
                                                         {"alice", "gui"});
        QVERIFY(r.ok());
        QCOMPARE(rig.state("a"), BreakerState::ForcedOpen);
        QCOMPARE(rig.control->snapshot()->breaker("a")->state, BreakerState::ForcedOpen);

        QCOMPARE(transitioned.size(), 1);
        const auto event = transitioned.at(0).at(0).value<TransitionEvent>();
        QCOMPARE(event.subject, std::string("a"));
        QCOMPARE(event.to, BreakerState::ForcedOpen);
        QCOMPARE(event.cause.actor, std::string("alice"));
        QCOMPARE(event.cause.reason, std::string("db migration"));

        QCOMPARE(audited.size(), 1);
        const auto audit = rig.control->audit(10);
        QCOMPARE(audit.size(), std::size_t(1));
        QCOMPARE(audit[0].actor, std::string("alice"));
        QCOMPARE(audit[0].origin, std::string("gui"));
        QCOMPARE(audit[0].target, std::string("breaker/a"));
        QCOMPARE(audit[0].action, std::string("force_open"));
        QCOMPARE(audit[0].reason, std::string("db migration"));
        QCOMPARE(audit[0].expiresInS, std::optional<std::int64_t>(600));
        QCOMPARE(audit[0].wallMs, std::int64_t(1'700'000'000'000 + 1'000'000));

        const auto history = rig.control->recentTransitions(TargetKind::Breaker, "a");
        QCOMPARE(history.size(), std::size_t(1));
        QCOMPARE(history[0].from, BreakerState::Closed);
        QVERIFY(rig.control->recentTransitions(TargetKind::Breaker, "b").empty());
    }

    void groupsAreChangedThroughTheSameCall()
    {
        ControlRig rig;
        QVERIFY(rig.control->changeState(TargetKind::Group, "g", command(OperatorAction::ForceOpen), {"bob", "api"}).ok());
        QCOMPARE(rig.engine.group("g")->state(), BreakerState::ForcedOpen);
        QCOMPARE(rig.control->recentTransitions(TargetKind::Group, "g").size(), std::size_t(1));
        QCOMPARE(rig.control->audit(1)[0].target, std::string("group/g"));
        QVERIFY(rig.control->changeState(TargetKind::Group, "g", command(OperatorAction::Reset), {"bob", "api"}).ok());
        QCOMPARE(rig.engine.group("g")->state(), BreakerState::Closed);
    }

    void refusedCommandsChangeNothing()
    {
        ControlRig rig;
        QSignalSpy audited(rig.control.get(), &ControlService::audited);
        const Actor actor{"carol", "api"};
        QCOMPARE(rig.control->changeState(TargetKind::Breaker, "nope", command(OperatorAction::ForceOpen), actor).status,
                 CommandResult::Status::NotFound);
        QCOMPARE(rig.control->changeState(TargetKind::Group, "nope", command(OperatorAction::ForceOpen), actor).status,
                 CommandResult::Status::NotFound);

        CommandResult r = rig.control->changeState(TargetKind::Group, "g", command(OperatorAction::Disable), actor);
        QCOMPARE(r.status, CommandResult::Status::Invalid);
        QCOMPARE(r.errors.at(0).field, std::string("state"));

        r = rig.control->changeState(TargetKind::Breaker, "a", command(OperatorAction::Reset, "x", std::chrono::seconds(5)), actor);
        QCOMPARE(r.errors.at(0).field, std::string("expires_in_s"));
        r = rig.control->changeState(TargetKind::Breaker, "a", command(OperatorAction::ForceOpen), {"", "api"});
        QCOMPARE(r.errors.at(0).field, std::string("actor"));
        r = rig.control->changeState(TargetKind::Breaker, "a", command(OperatorAction::ForceOpen, std::string(2001, 'x')), actor);
        QCOMPARE(r.errors.at(0).field, std::string("reason"));

        QCOMPARE(rig.state("a"), BreakerState::Closed);
        QCOMPARE(rig.engine.group("g")->state(), BreakerState::Closed);
        QCOMPARE(audited.size(), 0);
        QVERIFY(rig.control->audit(10).empty());
    }

    void aPolicyEditAppliesLiveAndKeepsTheWindow()
    {
        ControlRig rig;
        auto b = rig.engine.breaker("a");
        for (int i = 0; i < 3; ++i)
            b->record(b->tryAcquire(), Outcome::Success, std::chrono::milliseconds(1));
        const CommandResult r = rig.control->editPolicy("a", "{\"failure_threshold\": 0.25}", WindowEdit::Keep,
                                                        "too lenient", {"dave", "api"});
        QVERIFY(r.ok());
        QVERIFY(!r.windowReset);
        QCOMPARE(b->policy().failureRateThreshold, 25.0);
        QCOMPARE(rig.control->configuration().service("a")->policy.failureRateThreshold, 25.0);
        QCOMPARE(rig.control->snapshot()->breaker("a")->window.calls, std::uint64_t(3));
        const auto entry = rig.control->audit(1).at(0);
        QCOMPARE(entry.action, std::string("edit_policy"));
        QCOMPARE(entry.reason, std::string("too lenient"));
        QCOMPARE(entry.detail, std::string("{\"failure_threshold\": 0.25} (window kept)"));

        const CommandResult reset = rig.control->editPolicy("a", "{\"window\": {\"type\": \"time\", \"size\": 30}}",
                                                            WindowEdit::Keep, {}, {"dave", "api"});
        QVERIFY(reset.ok());
        QVERIFY(reset.windowReset); // a count window cannot become a time window with its calls
        QCOMPARE(b->policy().windowType, WindowType::Time);
    }

    void aBadPolicyEditNamesTheFieldAndChangesNothing_data()
    {
        QTest::addColumn<QString>("edit");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << "{\"upstream\": \"http://x\"}" << "upstream"
                                     << "unknown key 'upstream' in a policy edit";
        QTest::newRow("range") << "{\"failure_threshold\": 3}" << "failure_threshold"
                               << "failure_threshold must be between 0 and 1, got 3";
        QTest::newRow("type") << "{\"volume_threshold\": \"many\"}" << "volume_threshold"
                              << "volume_threshold must be a whole number, got 'many'";
        QTest::newRow("nested") << "{\"half_open\": {\"permitted_calls\": 0}}" << "half_open.permitted_calls"
                                << "half_open.permitted_calls must be between 1 and 65535, got 0";
        QTest::newRow("across fields") << "{\"half_open\": {\"success_threshold\": 9}}" << "half_open.success_threshold"
                                       << "half_open.success_threshold must be between 1 and half_open.permitted_calls (3), got 9";
        QTest::newRow("not a mapping") << "[1, 2]" << "body" << "a policy edit must be a mapping of keys to values";
    }

    void aBadPolicyEditNamesTheFieldAndChangesNothing()
    {
        QFETCH(QString, edit);
        QFETCH(QString, field);
        QFETCH(QString, message);
        ControlRig rig;
        const BreakerPolicy before = rig.engine.breaker("a")->policy();
        const CommandResult r = rig.control->editPolicy("a", edit.toStdString(), WindowEdit::Keep, {}, {"eve", "api"});
        QCOMPARE(r.status, CommandResult::Status::Invalid);
        QCOMPARE(QString::fromStdString(r.errors.at(0).field), field);
        QCOMPARE(QString::fromStdString(r.errors.at(0).message), message);
        QVERIFY(rig.engine.breaker("a")->policy() == before);
        QVERIFY(rig.control->configuration().service("a")->policy == before);
        QVERIFY(rig.control->audit(10).empty());
        QCOMPARE(rig.control->editPolicy("nope", "{}", WindowEdit::Keep, {}, {"eve", "api"}).status,
                 CommandResult::Status::NotFound);
    }

    void transitionsFromTrafficAreKeptPerBreaker()
    {
        ControlRig rig;
        QSignalSpy sampled(rig.control.get(), &ControlService::sampled);
        auto b = rig.engine.breaker("b");
        for (int i = 0; i < 4; ++i)
            b->record(b->tryAcquire(), Outcome::Failure, std::chrono::milliseconds(1));
        QCOMPARE(rig.state("b"), BreakerState::Open);
        rig.control->sample();
        QVERIFY(sampled.size() >= 1);
        const auto history = rig.control->recentTransitions(TargetKind::Breaker, "b");
        QCOMPARE(history.size(), std::size_t(1));
        QCOMPARE(history[0].cause.kind, CauseKind::FailureRate);
        rig.clock.advance(std::chrono::seconds(10));
        rig.control->sample();
        QCOMPARE(rig.control->recentTransitions(TargetKind::Breaker, "b").back().to, BreakerState::HalfOpen);
        QCOMPARE(rig.control->transitions(1).size(), std::size_t(1));
        QCOMPARE(rig.control->transitions(100).size(), std::size_t(2));
    }

    void historyIsBounded()
    {
        ControlRig rig;
        for (std::size_t i = 0; i < ControlService::kHistory + 10; ++i)
            rig.control->changeState(TargetKind::Breaker, "a",
                                     command(i % 2 ? OperatorAction::Reset : OperatorAction::ForceOpen), {"f", "api"});
        QCOMPARE(rig.control->recentTransitions(TargetKind::Breaker, "a").size(), ControlService::kHistory);
        QCOMPARE(rig.control->audit(1000).size(), ControlService::kHistory + 10);
    }
};

QTEST_GUILESS_MAIN(TestControlService)
#include "tst_control_service.moc"
