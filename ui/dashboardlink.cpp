#include "dashboardlink.h"

#include "control/threadcall.h"
#include "sim/demoworld.h"

namespace bb::ui {

using control::callOn;

DashboardLink::DashboardLink(control::ControlService &control, QObject *parent) : QObject(parent), m_control(&control)
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(kMinIntervalMs);
    connect(&m_throttle, &QTimer::timeout, this, &DashboardLink::deliver);
    setControl(control);
}

void DashboardLink::setControl(control::ControlService &control)
{
    if (m_generation > 0)
        disconnect(m_control, nullptr, this, nullptr);
    m_control = &control;
    m_pending.reset();
    // Signals already queued from the previous service still arrive after
    // the disconnect: each connection knows its generation.
    const std::uint64_t generation = ++m_generation;
    const auto current = [this, generation] { return generation == m_generation; };
    connect(&control, &control::ControlService::observed, this,
            [this, current](std::shared_ptr<const control::Observation> o) {
                if (current())
                    receive(std::move(o));
            });
    connect(&control, &control::ControlService::transitioned, this, [this, current](const TransitionEvent &e) {
        if (current())
            emit transitioned(e);
    });
    connect(&control, &control::ControlService::audited, this, [this, current](const persist::AuditEntry &e) {
        if (current())
            emit audited(e);
    });
    if (generation > 1)
        emit controlReplaced();
}

DashboardLink::~DashboardLink()
{
    // Status requests still queued on the simulation thread post back to this
    // object: let them run first (their answers die with it).
    if (m_world)
        callOn(m_world, [] {});
}

void DashboardLink::setDemo(sim::DemoWorld *world)
{
    m_world = world;
    if (world)
        connect(world, &sim::DemoWorld::captioned, this, &DashboardLink::captioned);
}

void DashboardLink::setAddresses(const QString &proxy, const QString &admin)
{
    m_proxyAddress = proxy;
    m_adminAddress = admin;
}

qint64 DashboardLink::sinceLastObservationMs() const
{
    return m_lastObservation.isValid() ? m_lastObservation.elapsed() : -1;
}

void DashboardLink::receive(std::shared_ptr<const control::Observation> observation)
{
    m_pending = std::move(observation);
    if (!m_throttle.isActive())
        deliver();
}

void DashboardLink::deliver()
{
    if (!m_pending)
        return;
    m_lastObservation.start();
    emit observed(std::exchange(m_pending, nullptr));
    m_throttle.start();
}

control::Actor DashboardLink::actor() const
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = QStringLiteral("operator");
    return {user.toStdString(), "gui"};
}

control::CommandResult DashboardLink::changeState(control::TargetKind kind, const std::string &name,
                                                  OperatorAction action, const std::string &reason,
                                                  std::optional<Duration> expiresIn)
{
    const control::Actor who = actor();
    OperatorCommand command{action, who.name, reason, expiresIn};
    return callOn(m_control, [&] { return m_control->changeState(kind, name, command, who); });
}

namespace {
DashboardLink::Recording recordingOf(bool available, const std::optional<control::ProxyRecording::Status> &status)
{
    DashboardLink::Recording r;
    r.available = available;
    if (status) {
        r.path = QString::fromStdString(status->path);
        r.lines = status->lines;
        r.error = QString::fromStdString(status->error);
    }
    return r;
}
} // namespace

DashboardLink::Recording DashboardLink::recording()
{
    return callOn(m_control, [&] {
        control::ProxyRecording *recording = m_control->recording();
        const auto status = recording ? recording->status() : std::nullopt;
        Recording r = recordingOf(recording != nullptr, status);
        r.active = status.has_value();
        return r;
    });
}

bool DashboardLink::startRecording(const QString &path, QString *error)
{
    return callOn(m_control, [&] {
        control::ProxyRecording *recording = m_control->recording();
        if (!recording) {
            *error = QStringLiteral("no proxy runs here, so there is no traffic to record");
            return false;
        }
        return recording->start(path, error);
    });
}

DashboardLink::Recording DashboardLink::stopRecording()
{
    return callOn(m_control, [&] {
        control::ProxyRecording *recording = m_control->recording();
        return recordingOf(recording != nullptr, recording ? recording->stop() : std::nullopt);
    });
}

control::CommandResult DashboardLink::editPolicy(const std::string &name, const std::string &editText,
                                                 WindowEdit edit, const std::string &reason)
{
    const control::Actor who = actor();
    return callOn(m_control, [&] { return m_control->editPolicy(name, editText, edit, reason, who); });
}

Configuration DashboardLink::configuration()
{
    return callOn(m_control, [&] { return m_control->configuration(); });
}

std::vector<TransitionEvent> DashboardLink::recentTransitions(control::TargetKind kind, const std::string &name)
{
    return callOn(m_control, [&] { return m_control->recentTransitions(kind, name); });
}

std::vector<TransitionEvent> DashboardLink::transitions(std::size_t limit)
{
    return callOn(m_control, [&] { return m_control->transitions(limit); });
}

std::vector<persist::AuditEntry> DashboardLink::audit(std::size_t limit)
{
    return callOn(m_control, [&] { return m_control->audit(limit); });
}

void DashboardLink::refreshDemoStatus()
{
    if (!m_world)
        return;
    sim::DemoWorld *world = m_world;
    QMetaObject::invokeMethod(world, [this, world] {
        DemoStatus s;
        s.running = true;
        s.paused = world->paused();
        s.speed = world->speed();
        if (const sim::ScenarioPlayer *p = world->player()) {
            s.scenario = QString::fromStdString(p->scenario().name);
            s.position = p->position();
            s.duration = p->scenario().duration;
            s.caption = QString::fromStdString(p->caption());
        }
        QMetaObject::invokeMethod(this, [this, s] {
            m_demoStatus = s;
            emit demoStatusChanged(s);
        }, Qt::QueuedConnection);
    }, Qt::QueuedConnection);
}

void DashboardLink::playScenario(const sim::Scenario &scenario)
{
    if (m_world)
        callOn(m_world, [this, scenario] { m_world->play(scenario); });
}

void DashboardLink::restartScenario()
{
    if (m_world)
        callOn(m_world, [this] { m_world->restart(); });
}

void DashboardLink::setPaused(bool paused)
{
    if (m_world)
        callOn(m_world, [this, paused] { m_world->setPaused(paused); });
}

void DashboardLink::setSpeed(double factor)
{
    if (m_world)
        callOn(m_world, [this, factor] { m_world->setSpeed(factor); });
}

void DashboardLink::step()
{
    if (m_world)
        callOn(m_world, [this] { m_world->step(); });
}

} // namespace bb::ui
