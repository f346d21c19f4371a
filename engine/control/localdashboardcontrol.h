// The dashboard's control interface over a control service in this
// process. Commands run on the thread of the service's owner; answers,
// snapshots and events come back to the interface's thread through its
// mailbox, so whatever the engine's threads do, nothing here waits for
// them. The service behind can change (a replay that starts afresh):
// attach() it on the owner's thread, and the window hears replaced().
#pragma once

#include "controlservice.h"
#include "dashboardcontrol.h"

namespace bb::control {

class LocalDashboardControl : public DashboardControl {
    Q_OBJECT
public:
    // Over service, on its thread. The service outlives this object.
    explicit LocalDashboardControl(ControlService &service, QObject *parent = nullptr);
    // Over whichever service current() returns, called on owner's thread (a
    // replay player's); owner and its services outlive this object.
    LocalDashboardControl(QObject &owner, std::function<ControlService &()> current, QObject *parent = nullptr);

    // Called on the owner's thread with a service to hear from now on (the
    // previous one is no longer heard; replaced() follows). Lives as long as
    // this object's mailbox, whichever dies first.
    using Attach = std::function<void(ControlService &)>;
    Attach attacher() const;

    // The scope is this process's engine, whatever it names.
    Answer<CommandResult> changeState(TargetKind kind, const std::string &name, OperatorCommand command,
                                      Actor actor, Scope scope = {}) override;
    Answer<CommandResult> editPolicy(const std::string &name, const std::string &editText, WindowEdit edit,
                                     const std::string &reason, Actor actor, Scope scope = {}) override;
    Answer<Configuration> configuration() override;
    Answer<std::vector<TransitionEvent>> recentTransitions(TargetKind kind, const std::string &name) override;
    Answer<History> history(std::size_t limit) override;
    Answer<RecordingStatus> recording() override;
    Answer<RecordingStatus> startRecording(const QString &path) override;
    Answer<RecordingStatus> stopRecording() override;

private:
    // The connections to the service heard, kept on the owner's thread.
    struct Stream {
        std::vector<QMetaObject::Connection> connections;
    };
    template <typename T, typename Query> Answer<T> ask(const QString &what, Query query);

    QObject *m_owner;
    std::function<ControlService &()> m_current;
    std::shared_ptr<Stream> m_stream = std::make_shared<Stream>();
};

} // namespace bb::control
