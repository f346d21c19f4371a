// The dashboard's control interface over a real admin API on loopback: what
// it shows is what the instance has (with how its shared state stands), its
// commands change the instance and are audited there as the dashboard's, and
// its link fails well: a cut link catches up with Last-Event-ID and loses no
// transition, a gap is said, a silent link is noticed, and each wrong
// address or token says what it is.
#include "common/testcerts.h"
#include "control/servertls.h"
#include "control/apirig.h"
#include "freeport.h"
#include "answers.h"
#include "tcprelay.h"
#include "testupstream.h"

#include "remote/remotecontrol.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace bb;
using namespace bb::control;
using namespace bb::remote;
using namespace bb::testing;

namespace {
Instance at(const QString &url, const QString &tokenFile = {})
{
    QString error;
    auto i = instanceFromUrl(url, tokenFile, {}, &error);
    if (!i)
        qFatal("%s", qPrintable(error));
    return *i;
}

QString tokenFile(const QTemporaryDir &dir, const QByteArray &token = kToken)
{
    const QString path = dir.filePath("token");
    writeAll(path, token);
    return path;
}

// A cluster link whose state the test sets.
struct SharedStateStub : SharedStateSource {
    SharedStateStatus status{SharedStateStatus::Link::Connected, "shop", "127.0.0.1:6379/0", "eu-1", "local", {}, 1, 0, 0};
    SharedStateStatus sharedState() const override { return status; }
    std::vector<persist::AuditEntry> clusterAudit(std::size_t) const override { return {}; }
};

// Waits for the next answer of a command.

struct Attached {
    explicit Attached(ApiRig &api, const QString &url = {}, bool token = true)
        : control(at(url.isEmpty() ? QStringLiteral("http://127.0.0.1:%1").arg(api.server.port()) : url,
                     token ? tokenFile(dir) : QString()))
    {
        QObject::connect(&control, &DashboardControl::observed, &control,
                         [this](std::shared_ptr<const Observation> o) { last = std::move(o); });
        QObject::connect(&control, &DashboardControl::transitioned, &control,
                         [this](const TransitionEvent &e) { transitions.push_back(e); });
        control.start();
    }
    bool connected() const { return control.link().state == LinkStatus::State::Connected; }
    QTemporaryDir dir;
    RemoteDashboardControl control;
    std::shared_ptr<const Observation> last;
    std::vector<TransitionEvent> transitions;
};
} // namespace

class TestRemoteControl : public QObject {
    Q_OBJECT
private slots:
    void itShowsWhatTheInstanceHas()
    {
        ApiRig api;
        Attached remote(api);
        QTRY_VERIFY(remote.connected());
        QTRY_VERIFY(remote.last);
        api.rig.control->sample();
        const EngineSnapshot &there = *api.rig.control->snapshot();
        const EngineSnapshot &here = *remote.last->engine;
        QCOMPARE(here.breakers.size(), there.breakers.size());
        for (std::size_t i = 0; i < there.breakers.size(); ++i) {
            QCOMPARE(here.breakers[i].name, there.breakers[i].name);
            QCOMPARE(here.breakers[i].state, there.breakers[i].state);
            QVERIFY(here.breakers[i].policy == there.breakers[i].policy);
        }
        QCOMPARE(here.groups.front().members, there.groups.front().members);
        QVERIFY(!remote.last->fleet);
        const auto config = wait(remote.control.configuration());
        QCOMPARE(config->services.size(), std::size_t(2));
        QVERIFY(config->service("a")->policy == api.rig.config.service("a")->policy);
    }

    void itsObservationsSayHowItsSharedStateStands()
    {
        ApiRig api;
        SharedStateStub shared;
        api.rig.control->setSharedState(&shared);
        api.rig.control->sample();
        Attached remote(api);
        QTRY_VERIFY(remote.last && remote.last->sharedState);
        QCOMPARE(*remote.last->sharedState, shared.status);
        shared.status.link = SharedStateStatus::Link::Down;
        shared.status.problem = "Connection refused";
        shared.status.unsent = 2;
        api.rig.control->sample();
        QTRY_COMPARE(remote.last->sharedState->link, SharedStateStatus::Link::Down);
        QCOMPARE(*remote.last->sharedState, shared.status);
    }

    void itsCommandsChangeTheInstanceAndAreAuditedThere()
    {
        ApiRig api;
        Attached remote(api);
        QTRY_VERIFY(remote.connected());
        const auto r = wait(remote.control.changeState(TargetKind::Breaker, "a",
                                                       {OperatorAction::ForceOpen, "alice", "drill", std::chrono::seconds(60)},
                                                       {"alice", "gui"}));
        QVERIFY(r->ok());
        QCOMPARE(api.rig.state("a"), BreakerState::ForcedOpen);
        const auto audit = api.rig.control->audit(1).front();
        QCOMPARE(audit.actor, "alice");
        QCOMPARE(audit.origin, "gui alice@" + QSysInfo::machineHostName().toStdString());
        QCOMPARE(audit.reason, "drill");
        QCOMPARE(audit.expiresInS, std::optional<std::int64_t>(60));
        // The transition comes back on the stream, and so does the state.
        QTRY_VERIFY(!remote.transitions.empty());
        QCOMPARE(remote.transitions.back().to, BreakerState::ForcedOpen);
        QTRY_COMPARE(remote.last->engine->breaker("a")->state, BreakerState::ForcedOpen);

        QCOMPARE(wait(remote.control.changeState(TargetKind::Breaker, "nope", {OperatorAction::Reset, "", "", {}},
                                                 {"alice", "gui"}))
                     ->status,
                 CommandResult::Status::NotFound);
        const auto refused = wait(remote.control.editPolicy("a", R"({"failure_threshold": 7})", WindowEdit::Keep, "x",
                                                            {"alice", "gui"}));
        QCOMPARE(refused->status, CommandResult::Status::Invalid);
        QCOMPARE(refused->errors.front().field, "failure_threshold");
        const auto edited = wait(remote.control.editPolicy("a", R"({"failure_threshold": 0.25})", WindowEdit::Reset,
                                                           "tighter", {"alice", "gui"}));
        QVERIFY(edited->ok());
        QVERIFY(edited->windowReset);
        QCOMPARE(api.rig.engine.breaker("a")->policy().failureRateThreshold, 25.0);

        const auto history = wait(remote.control.history(10));
        QCOMPARE(history->audit.back().action, "edit_policy");
        QCOMPARE(history->transitions.back().to, BreakerState::ForcedOpen);
        const auto recent = wait(remote.control.recentTransitions(TargetKind::Breaker, "a"));
        QCOMPARE(recent->back().to, BreakerState::ForcedOpen);
        // No proxy behind this instance: nothing to record, and it says so.
        const auto recording = wait(remote.control.startRecording("/tmp/x.jsonl"));
        QVERIFY(!recording->available);
        QVERIFY(recording->error.contains("no proxy"));
    }

    // A cut link comes back with Last-Event-ID: what happened meanwhile
    // arrives once, and nothing is void (no replaced()).
    void aCutLinkCatchesUpWithoutLosingATransition()
    {
        ApiRig api;
        TcpRelay relay(api.server.port());
        Attached remote(api, relay.url());
        QSignalSpy replaced(&remote.control, &DashboardControl::replaced);
        QTRY_VERIFY(remote.connected());
        QVERIFY(wait(remote.control.changeState(TargetKind::Breaker, "a", {OperatorAction::ForceOpen, "", "one", {}},
                                                {"alice", "gui"}))
                    ->ok());
        QTRY_COMPARE(remote.transitions.size(), std::size_t(1));

        relay.refuse();
        relay.cut();
        QTRY_COMPARE(remote.control.link().state, LinkStatus::State::Reconnecting);
        QVERIFY(remote.control.link().nextTryInMs > 0);
        // Meanwhile, on the instance:
        for (const auto action : {OperatorAction::Reset, OperatorAction::ForceClosed, OperatorAction::Disable})
            QVERIFY(api.rig.control->changeState(TargetKind::Breaker, "b", {action, "", "meanwhile", {}}, {"bob", "api"}).ok());
        api.rig.control->sample();
        relay.accept();
        QTRY_VERIFY_WITH_TIMEOUT(remote.connected(), 10000);
        // b: reset, forced closed, then disabled; each once, in order.
        QTRY_COMPARE(remote.transitions.size(), std::size_t(4));
        for (std::size_t i = 1; i < remote.transitions.size(); ++i) {
            QCOMPARE(remote.transitions[i].subject, "b");
            QVERIFY(remote.transitions[i].sequence > remote.transitions[i - 1].sequence);
        }
        QCOMPARE(remote.transitions[2].to, BreakerState::ForcedClosed);
        QCOMPARE(remote.transitions[3].to, BreakerState::Disabled);
        QCOMPARE(replaced.count(), 0);
        QTRY_COMPARE(remote.last->engine->breaker("b")->state, BreakerState::Disabled);
    }

    // When the instance no longer keeps what was missed, the window is told
    // (replaced()) and reads the history again; nothing is silently skipped.
    void aGapIsSaid()
    {
        ApiRig api;
        api.server.setKeptEvents(1);
        TcpRelay relay(api.server.port());
        Attached remote(api, relay.url());
        QSignalSpy replaced(&remote.control, &DashboardControl::replaced);
        QTRY_VERIFY(remote.connected());
        QVERIFY(api.rig.control->changeState(TargetKind::Breaker, "a", {OperatorAction::ForceOpen, "", "x", {}}, {"bob", "api"}).ok());
        api.rig.control->sample();
        QTRY_VERIFY(!remote.transitions.empty());
        relay.refuse();
        relay.cut();
        QTRY_COMPARE(remote.control.link().state, LinkStatus::State::Reconnecting);
        QVERIFY(api.rig.control->changeState(TargetKind::Breaker, "b", {OperatorAction::ForceOpen, "", "x", {}}, {"bob", "api"}).ok());
        QVERIFY(api.rig.control->changeState(TargetKind::Breaker, "b", {OperatorAction::Reset, "", "x", {}}, {"bob", "api"}).ok());
        api.rig.control->sample();
        relay.accept();
        QTRY_VERIFY_WITH_TIMEOUT(replaced.count() == 1, 10000);
        QVERIFY(remote.connected());
        const auto history = wait(remote.control.history(10));
        // The group closed last; b just before it, reset.
        const auto &events = history->transitions;
        const auto lastOfB = std::find_if(events.rbegin(), events.rend(), [](const auto &e) { return e.subject == "b"; });
        QVERIFY(lastOfB != events.rend());
        QCOMPARE(lastOfB->to, BreakerState::Closed);
        QCOMPARE(lastOfB->cause.kind, CauseKind::Operator);
    }

    void aSilentLinkIsNoticed()
    {
        ApiRig api;
        TcpRelay relay(api.server.port());
        Attached remote(api, relay.url());
        QTRY_VERIFY(remote.connected());
        relay.hold(true);
        QTRY_COMPARE_WITH_TIMEOUT(remote.control.link().state, LinkStatus::State::Reconnecting, 5000);
        QVERIFY(remote.control.link().message.contains("silent"));
        QVERIFY(remote.last); // what it said last is kept
        relay.hold(false);
        relay.cut();
        QTRY_VERIFY_WITH_TIMEOUT(remote.connected(), 10000);
    }

    // Over TLS the instance's certificate is checked against the CA file:
    // the right CA connects and commands work; another CA is a TLS error.
    void overTlsTheCertificateIsVerified()
    {
        TestCertsDir tls;
        QVERIFY2(tls.certs.error.isEmpty(), qPrintable(tls.certs.error));
        ApiRig api(true, *loadServerTls(tls.certs.serverCert, tls.certs.serverKey).configuration);
        QTemporaryDir dir;
        const QString url = QStringLiteral("https://127.0.0.1:%1").arg(api.server.port());
        QString error;
        RemoteDashboardControl trusted(*instanceFromUrl(url, tokenFile(dir), tls.certs.caCert, &error));
        trusted.start();
        QTRY_COMPARE(trusted.link().state, LinkStatus::State::Connected);
        QVERIFY(wait(trusted.changeState(TargetKind::Breaker, "a", {OperatorAction::ForceOpen, "", "tls", {}},
                                         {"alice", "gui"}))
                    ->ok());
        QCOMPARE(api.rig.state("a"), BreakerState::ForcedOpen);

        RemoteDashboardControl stranger(*instanceFromUrl(url, tokenFile(dir), tls.certs.otherCaCert, &error));
        stranger.start();
        QTRY_COMPARE(stranger.link().state, LinkStatus::State::Reconnecting);
        QCOMPARE(stranger.link().problem, describe(LinkProblem::Tls));
        QVERIFY(stranger.link().message.contains("certificate"));
    }

    void eachWrongLinkSaysWhatItIs()
    {
        {
            ApiRig api(true); // reads need the token too
            QTemporaryDir dir;
            RemoteDashboardControl wrong(at(QStringLiteral("http://127.0.0.1:%1").arg(api.server.port()),
                                            tokenFile(dir, "not-the-token")));
            wrong.start();
            QTRY_COMPARE(wrong.link().state, LinkStatus::State::Reconnecting);
            QCOMPARE(wrong.link().problem, describe(LinkProblem::TokenRefused));
        }
        {
            RemoteDashboardControl nobody(at(QStringLiteral("http://127.0.0.1:%1").arg(freePort())));
            nobody.start();
            QTRY_COMPARE(nobody.link().state, LinkStatus::State::Reconnecting);
            QCOMPARE(nobody.link().problem, describe(LinkProblem::Unreachable));
            QVERIFY(nobody.link().message.contains("refused"));
        }
        {
            TestUpstream web;
            RemoteDashboardControl stranger(at(QStringLiteral("http://127.0.0.1:%1").arg(web.port())));
            stranger.start();
            QTRY_COMPARE(stranger.link().state, LinkStatus::State::Reconnecting);
            QCOMPARE(stranger.link().problem, describe(LinkProblem::NotBreakerboard));
        }
        {
            QTemporaryDir dir;
            RemoteDashboardControl unsafe(at(QStringLiteral("http://10.1.2.3:9901"), tokenFile(dir)));
            unsafe.start();
            QCOMPARE(unsafe.link().state, LinkStatus::State::Failed);
            QCOMPARE(unsafe.link().problem, describe(LinkProblem::Unsafe));
        }
    }
};

QTEST_GUILESS_MAIN(TestRemoteControl)
#include "tst_remote_control.moc"
