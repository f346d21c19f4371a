#include "dashboardlink.h"

namespace bb::ui {

DashboardLink::DashboardLink(control::DashboardControl &control, control::DemoControl *demo, QObject *parent)
    : QObject(parent), m_control(&control), m_demo(demo)
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(kMinIntervalMs);
    connect(&m_throttle, &QTimer::timeout, this, &DashboardLink::deliver);
    connect(&control, &control::DashboardControl::observed, this, &DashboardLink::receive);
    connect(&control, &control::DashboardControl::transitioned, this, &DashboardLink::transitioned);
    connect(&control, &control::DashboardControl::audited, this, &DashboardLink::audited);
    connect(&control, &control::DashboardControl::replaced, this, [this] {
        m_pending.reset();
        emit controlReplaced();
    });
}

void DashboardLink::setAddresses(const QString &proxyUrl, const QString &adminUrl)
{
    m_proxyUrl = proxyUrl;
    m_adminUrl = adminUrl;
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

control::Answer<control::CommandResult> DashboardLink::changeState(control::TargetKind kind, const std::string &name,
                                                                   OperatorAction action, const std::string &reason,
                                                                   std::optional<Duration> expiresIn,
                                                                   control::Scope scope)
{
    const control::Actor who = actor();
    return m_control->changeState(kind, name, OperatorCommand{action, who.name, reason, expiresIn}, who,
                                  std::move(scope));
}

control::Answer<control::CommandResult> DashboardLink::editPolicy(const std::string &name, const std::string &editText,
                                                                  WindowEdit edit, const std::string &reason,
                                                                  control::Scope scope)
{
    return m_control->editPolicy(name, editText, edit, reason, actor(), std::move(scope));
}

} // namespace bb::ui
