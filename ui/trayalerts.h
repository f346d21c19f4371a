// For someone not staring at the window: a tray icon coloured by the worst
// state of any breaker or group, and a desktop notification when one opens,
// unless the operator muted that service or group.
#pragma once

#include "core/snapshot.h"
#include "core/transitionevent.h"

#include <QIcon>
#include <QObject>
#include <QSet>

class QSystemTrayIcon;
class QMenu;

namespace bb::ui {

class TrayAlerts : public QObject {
    Q_OBJECT
public:
    explicit TrayAlerts(QWidget *window);
    ~TrayAlerts() override;

    void update(const EngineSnapshot &snapshot);
    void transitioned(const TransitionEvent &event);
    void setMuted(const QString &subject, bool muted); // "NAME" or "group NAME"
    // No tray icon and no notifications (a replay's window): the window's icon still follows.
    void silence();
    bool isMuted(const QString &subject) const { return m_muted.contains(subject); }

    BreakerState worst() const { return m_worst; }
    int notifications() const { return m_notifications; }
    static QIcon iconFor(BreakerState worst);

private:
    QWidget *m_window;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QSet<QString> m_muted;
    BreakerState m_worst = BreakerState::Closed;
    bool m_first = true;
    bool m_silent = false;
    int m_notifications = 0;
};

} // namespace bb::ui
