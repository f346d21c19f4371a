// The dashboard's one way to the engine: the control service (on the control
// thread, or the replay's thread) for observations, events and commands, and
// the demo world (on the simulation thread) when a demo runs. Commands run on the owner's thread
// while the window waits for their answer; observations and the demo's
// status arrive queued (observations at most ten a second, the newest kept
// when more come), so the window never waits for them.
#pragma once

#include "control/controlservice.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace bb::sim {
class DemoWorld;
struct Scenario;
} // namespace bb::sim

namespace bb::ui {

struct DemoStatus {
    bool running = false; // a demo world is attached
    QString scenario;
    double position = 0;  // seconds into the scenario
    double duration = 0;
    bool paused = false;
    double speed = 1.0;
    QString caption;
};

class DashboardLink : public QObject {
    Q_OBJECT
public:
    static constexpr int kMinIntervalMs = 100;

    explicit DashboardLink(control::ControlService &control, QObject *parent = nullptr);
    ~DashboardLink() override;
    // Another engine from now on (a replay that started afresh): what the
    // previous one sent and has not arrived yet is dropped; controlReplaced().
    void setControl(control::ControlService &control);
    void setDemo(sim::DemoWorld *world);
    void setAddresses(const QString &proxy, const QString &admin);
    QString proxyAddress() const { return m_proxyAddress; }
    QString adminAddress() const { return m_adminAddress; }
    // Milliseconds since the last observation arrived; -1 before the first.
    qint64 sinceLastObservationMs() const;

    // Who the dashboard's actions are recorded as: the local user, from "gui".
    control::Actor actor() const;
    control::CommandResult changeState(control::TargetKind kind, const std::string &name, OperatorAction action,
                                       const std::string &reason, std::optional<Duration> expiresIn);
    control::CommandResult editPolicy(const std::string &name, const std::string &editText, WindowEdit edit,
                                      const std::string &reason);
    Configuration configuration();
    std::vector<TransitionEvent> recentTransitions(control::TargetKind kind, const std::string &name);
    std::vector<TransitionEvent> transitions(std::size_t limit);
    std::vector<persist::AuditEntry> audit(std::size_t limit);

    // Recording the proxy's traffic (on the control thread, as the admin API does).
    struct Recording {
        bool available = false; // a proxy runs, so there is traffic to record
        bool active = false;
        QString path;
        quint64 lines = 0;
        QString error;
    };
    Recording recording();
    bool startRecording(const QString &path, QString *error);
    // The recording that was stopped (active false), or an unavailable one.
    Recording stopRecording();

    bool hasDemo() const { return m_world != nullptr; }
    // The demo's status as last reported; refreshDemoStatus() asks for a new
    // one (demoStatusChanged when it comes).
    const DemoStatus &demoStatus() const { return m_demoStatus; }
    void refreshDemoStatus();
    // The demo's controls; they do nothing without a demo.
    void playScenario(const sim::Scenario &scenario);
    void restartScenario();
    void setPaused(bool paused);
    void setSpeed(double factor);
    void step();

signals:
    void observed(std::shared_ptr<const bb::control::Observation> observation);
    void transitioned(const bb::TransitionEvent &event);
    void audited(const bb::persist::AuditEntry &entry);
    void captioned(const QString &caption);
    void demoStatusChanged(const bb::ui::DemoStatus &status);
    // Everything known of the previous engine is void: ask again.
    void controlReplaced();

private:
    void receive(std::shared_ptr<const control::Observation> observation);
    void deliver();

    control::ControlService *m_control;
    std::uint64_t m_generation = 0; // of m_control: senders of older ones are not heard
    sim::DemoWorld *m_world = nullptr;
    QString m_proxyAddress;
    QString m_adminAddress;
    QTimer m_throttle;
    std::shared_ptr<const control::Observation> m_pending;
    QElapsedTimer m_lastObservation;
    DemoStatus m_demoStatus;
};

} // namespace bb::ui
