// The dashboard's control interface over a fleet: one remote link per
// instance, and observations that merge them Turbine-style. Per breaker
// and group the worst state of the connected instances that have it; counts
// summed over every instance heard (a lost one adds what it last said, so
// sums never run backwards); latency histograms merged bucket by bucket,
// never percentiles averaged; and the fleet view with each instance's own
// observation and link. A command goes to every instance that has its
// target (or to those its scope names), and answers with what each did.
#pragma once

#include "remotecontrol.h"

#include "control/dashboardcontrol.h"

#include <QTimer>

#include <memory>
#include <vector>

namespace bb::remote {

class FleetControl : public control::DashboardControl {
    Q_OBJECT
public:
    explicit FleetControl(QObject *parent = nullptr);
    ~FleetControl() override;

    // Adds an instance and starts its link; an error when its name or URL
    // is already in the fleet.
    QString add(Instance instance, double rate = 10.0);
    std::size_t size() const { return m_members.size(); }
    RemoteDashboardControl &member(std::size_t i) const { return *m_members[i]; }
    // The fleet as it stands now (also what the last observation carried).
    std::shared_ptr<const control::Observation> merged() const;

    control::Answer<control::CommandResult> changeState(control::TargetKind kind, const std::string &name,
                                                        OperatorCommand command, control::Actor actor,
                                                        control::Scope scope = {}) override;
    control::Answer<control::CommandResult> editPolicy(const std::string &name, const std::string &editText,
                                                       WindowEdit edit, const std::string &reason, control::Actor actor,
                                                       control::Scope scope = {}) override;
    control::Answer<Configuration> configuration() override;
    control::Answer<std::vector<TransitionEvent>> recentTransitions(control::TargetKind kind,
                                                                    const std::string &name) override;
    control::Answer<control::History> history(std::size_t limit) override;
    // Recording goes to every instance: each writes its own traffic.
    control::Answer<control::RecordingStatus> recording() override;
    control::Answer<control::RecordingStatus> startRecording(const QString &path) override;
    control::Answer<control::RecordingStatus> stopRecording() override;

    static constexpr int kPublishMs = 100; // observations at most ten a second

private:
    // The members a command about kind/name goes to.
    std::vector<RemoteDashboardControl *> targets(control::TargetKind kind, const std::string &name,
                                                  const control::Scope &scope) const;
    // Asks each member with ask(member) and answers with merge(answers),
    // each answer with its instance's name.
    template <typename Each, typename T, typename Ask, typename Merge>
    control::Answer<T> fanOut(const QString &what, const std::vector<RemoteDashboardControl *> &members, Ask ask,
                              Merge merge);
    void schedulePublish();
    std::vector<RemoteDashboardControl *> all() const;

    std::vector<std::unique_ptr<RemoteDashboardControl>> m_members;
    QTimer m_publish;
    QTimer m_linkClock; // while a link is down: once a second, so its next try counts down
};

} // namespace bb::remote
