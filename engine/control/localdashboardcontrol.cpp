#include "localdashboardcontrol.h"

namespace bb::control {

namespace {
RecordingStatus statusOf(const ProxyRecording *recording, const std::optional<ProxyRecording::Status> &status)
{
    RecordingStatus r;
    r.available = recording != nullptr;
    if (status) {
        r.path = QString::fromStdString(status->path);
        r.lines = status->lines;
        r.error = QString::fromStdString(status->error);
    }
    return r;
}
} // namespace

LocalDashboardControl::LocalDashboardControl(ControlService &service, QObject *parent)
    : LocalDashboardControl(service, [&service]() -> ControlService & { return service; }, parent)
{
}

LocalDashboardControl::LocalDashboardControl(QObject &owner, std::function<ControlService &()> current,
                                             QObject *parent)
    : DashboardControl(parent), m_owner(&owner), m_current(std::move(current))
{
    // A service of its own is heard from the start, without replaced():
    // connecting is allowed from any thread. A replay's is found on its thread.
    if (auto *service = qobject_cast<ControlService *>(&owner))
        attacher()(*service);
    else
        QMetaObject::invokeMethod(m_owner, [attach = attacher(), current = m_current] { attach(current()); },
                                  Qt::QueuedConnection);
}

LocalDashboardControl::Attach LocalDashboardControl::attacher() const
{
    return [stream = m_stream, mailbox = mailbox(), self = const_cast<LocalDashboardControl *>(this)](ControlService &service) {
        const bool again = !stream->connections.empty();
        for (const QMetaObject::Connection &c : stream->connections)
            QObject::disconnect(c);
        stream->connections.clear();
        // Everything below is posted in the order the service sends it, so
        // what the previous service sent arrives before replaced().
        if (again)
            mailbox->post([self] { emit self->replaced(); });
        auto &c = stream->connections;
        c.push_back(QObject::connect(&service, &ControlService::observed, &service,
                                     [mailbox, self](std::shared_ptr<const Observation> o) {
                                         mailbox->post([self, o] { emit self->observed(o); });
                                     }));
        c.push_back(QObject::connect(&service, &ControlService::transitioned, &service,
                                     [mailbox, self](const TransitionEvent &e) {
                                         mailbox->post([self, e] { emit self->transitioned(e); });
                                     }));
        c.push_back(QObject::connect(&service, &ControlService::audited, &service,
                                     [mailbox, self](const persist::AuditEntry &e) {
                                         mailbox->post([self, e] { emit self->audited(e); });
                                     }));
    };
}

template <typename T, typename Query> Answer<T> LocalDashboardControl::ask(const QString &what, Query query)
{
    return runOn<T>(m_owner, what, [current = m_current, query = std::move(query)] { return query(current()); });
}

Answer<CommandResult> LocalDashboardControl::changeState(TargetKind kind, const std::string &name,
                                                         OperatorCommand command, Actor actor, Scope)
{
    return ask<CommandResult>(QStringLiteral("%1 %2").arg(QString::fromUtf8(nameOf(command.action).data(), qsizetype(nameOf(command.action).size())), QString::fromStdString(name)),
                              [=](ControlService &s) { return s.changeState(kind, name, command, actor); });
}

Answer<CommandResult> LocalDashboardControl::editPolicy(const std::string &name, const std::string &editText,
                                                        WindowEdit edit, const std::string &reason, Actor actor, Scope)
{
    return ask<CommandResult>(QStringLiteral("editing the policy of %1").arg(QString::fromStdString(name)),
                              [=](ControlService &s) { return s.editPolicy(name, editText, edit, reason, actor); });
}

Answer<Configuration> LocalDashboardControl::configuration()
{
    return ask<Configuration>(QStringLiteral("reading the configuration"),
                              [](ControlService &s) { return s.configuration(); });
}

Answer<std::vector<TransitionEvent>> LocalDashboardControl::recentTransitions(TargetKind kind, const std::string &name)
{
    return ask<std::vector<TransitionEvent>>(QStringLiteral("reading the transitions of %1").arg(QString::fromStdString(name)),
                                             [=](ControlService &s) { return s.recentTransitions(kind, name); });
}

Answer<History> LocalDashboardControl::history(std::size_t limit)
{
    return ask<History>(QStringLiteral("reading the history"),
                        [=](ControlService &s) { return History{s.transitions(limit), s.audit(limit)}; });
}

Answer<RecordingStatus> LocalDashboardControl::recording()
{
    return ask<RecordingStatus>(QStringLiteral("asking about the recording"), [](ControlService &s) {
        const ProxyRecording *recording = s.recording();
        const auto status = recording ? recording->status() : std::nullopt;
        RecordingStatus r = statusOf(recording, status);
        r.active = status.has_value();
        return r;
    });
}

Answer<RecordingStatus> LocalDashboardControl::startRecording(const QString &path)
{
    return ask<RecordingStatus>(QStringLiteral("starting the recording"), [path](ControlService &s) {
        ProxyRecording *recording = s.recording();
        RecordingStatus r = statusOf(recording, std::nullopt);
        if (!recording)
            r.error = QStringLiteral("no proxy runs here, so there is no traffic to record");
        else if (recording->start(path, &r.error))
            r = {true, true, path, 0, {}};
        return r;
    });
}

Answer<RecordingStatus> LocalDashboardControl::stopRecording()
{
    return ask<RecordingStatus>(QStringLiteral("stopping the recording"), [](ControlService &s) {
        ProxyRecording *recording = s.recording();
        return statusOf(recording, recording ? recording->stop() : std::nullopt);
    });
}

} // namespace bb::control
