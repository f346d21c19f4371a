#include "trayalerts.h"

#include "dashboardstate.h"
#include "theme.h"

#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>
#include <QWidget>

namespace bb::ui {

TrayAlerts::TrayAlerts(QWidget *window) : QObject(window), m_window(window)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(iconFor(BreakerState::Closed), this);
    m_menu = new QMenu;
    m_menu->addAction(QStringLiteral("Show Breakerboard"), window, [window] {
        window->showNormal();
        window->raise();
        window->activateWindow();
    });
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, window, [window] {
        window->showNormal();
        window->activateWindow();
    });
    m_tray->setToolTip(QStringLiteral("Breakerboard: all closed"));
    // Shown with the first figures: a replay's window is silenced before.
}

TrayAlerts::~TrayAlerts() { delete m_menu; }

QIcon TrayAlerts::iconFor(BreakerState worst)
{
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(stateColor(worst).darker(140), 2));
    p.setBrush(stateColor(worst));
    p.drawEllipse(QRectF(3, 3, 26, 26));
    return QIcon(pm);
}

void TrayAlerts::update(const EngineSnapshot &snapshot)
{
    BreakerState worst = BreakerState::Closed;
    int notClosed = 0;
    const auto consider = [&](BreakerState s) {
        if (stateSeverity(s) > stateSeverity(worst))
            worst = s;
        notClosed += s == BreakerState::Open || s == BreakerState::ForcedOpen || s == BreakerState::HalfOpen;
    };
    for (const BreakerSnapshot &b : snapshot.breakers)
        consider(b.state);
    for (const GroupSnapshot &g : snapshot.groups)
        consider(g.state);
    if (m_tray && !m_silent && !m_tray->isVisible())
        m_tray->show();
    if (worst == m_worst && !m_first)
        return;
    m_first = false;
    m_worst = worst;
    const QIcon icon = iconFor(worst);
    m_window->setWindowIcon(icon);
    if (m_tray) {
        m_tray->setIcon(icon);
        m_tray->setToolTip(notClosed ? QStringLiteral("Breakerboard: %1 open or half-open").arg(notClosed)
                                     : QStringLiteral("Breakerboard: all closed"));
    }
}

void TrayAlerts::transitioned(const TransitionEvent &event)
{
    if (event.to != BreakerState::Open && event.to != BreakerState::ForcedOpen)
        return;
    const QString subject = (event.isGroup ? QStringLiteral("group ") : QString()) + QString::fromStdString(event.subject);
    if (m_silent || m_muted.contains(subject))
        return;
    ++m_notifications;
    if (m_tray)
        m_tray->showMessage(QStringLiteral("Breakerboard: %1 %2").arg(subject, stateLabel(event.to)),
                            QString::fromStdString(event.cause.toString()), QSystemTrayIcon::Warning, 8000);
}

void TrayAlerts::silence() { m_silent = true; }

void TrayAlerts::setMuted(const QString &subject, bool muted)
{
    if (muted)
        m_muted.insert(subject);
    else
        m_muted.remove(subject);
}

} // namespace bb::ui
