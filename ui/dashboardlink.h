// The window's side of the control interfaces: the dashboard's control
// (commands, observations and events) and, when a demo runs, the demo's.
// Observations are passed on at most ten a second, the newest kept when
// more come; commands go out with the local user as the actor. Whether the
// controls run over this process's engine or another instance's, the
// window cannot tell.
#pragma once

#include "control/dashboardcontrol.h"
#include "control/democontrol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace bb::ui {

class DashboardLink : public QObject {
    Q_OBJECT
public:
    static constexpr int kMinIntervalMs = 100;

    // demo: null without a demo. Both outlive the link.
    explicit DashboardLink(control::DashboardControl &control, control::DemoControl *demo = nullptr,
                           QObject *parent = nullptr);

    control::DashboardControl &control() const { return *m_control; }
    control::DemoControl *demo() const { return m_demo; }
    // proxyUrl: "http://127.0.0.1:8080" (https with the TLS listener); adminUrl:
    // "https://127.0.0.1:9901", empty when there is none.
    void setAddresses(const QString &proxyUrl, const QString &adminUrl);
    QString proxyUrl() const { return m_proxyUrl; }
    QString adminUrl() const { return m_adminUrl; }
    // Milliseconds since the last observation arrived; -1 before the first.
    qint64 sinceLastObservationMs() const;

    // Who the dashboard's actions are recorded as: the local user, from "gui".
    control::Actor actor() const;
    // scope: over a fleet, the instances it goes to (none named: every one that has the target).
    control::Answer<control::CommandResult> changeState(control::TargetKind kind, const std::string &name,
                                                        OperatorAction action, const std::string &reason,
                                                        std::optional<Duration> expiresIn, control::Scope scope = {});
    control::Answer<control::CommandResult> editPolicy(const std::string &name, const std::string &editText,
                                                       WindowEdit edit, const std::string &reason,
                                                       control::Scope scope = {});

signals:
    void observed(std::shared_ptr<const bb::control::Observation> observation);
    void transitioned(const bb::TransitionEvent &event);
    void audited(const bb::persist::AuditEntry &entry);
    // Everything known of the previous engine is void: ask again.
    void controlReplaced();

private:
    void receive(std::shared_ptr<const control::Observation> observation);
    void deliver();

    control::DashboardControl *m_control;
    control::DemoControl *m_demo;
    QString m_proxyUrl;
    QString m_adminUrl;
    QTimer m_throttle;
    std::shared_ptr<const control::Observation> m_pending;
    QElapsedTimer m_lastObservation;
};

} // namespace bb::ui
