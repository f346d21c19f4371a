// The dashboard's control interface: commands and queries that return at
// once and answer later (CommandQueue), and the stream of observations,
// transitions and operator actions. One implementation runs over the
// engine in this process (LocalDashboardControl); another can run over an
// instance's admin API. Nothing here reveals which, nor any engine object:
// only values travel.
#pragma once

#include "commandqueue.h"
#include "controltypes.h"
#include "trafficsample.h"

#include "config/configloader.h"
#include "core/breaker.h"
#include "core/operatorcommand.h"
#include "core/transitionevent.h"
#include "persist/auditlog.h"

namespace bb::control {

struct RecordingStatus {
    bool available = false; // a proxy runs, so there is traffic to record
    bool active = false;
    QString path;
    quint64 lines = 0;
    QString error; // why it could not start, or what went wrong while writing
};

// What happened before: the last transitions and audit entries, oldest first.
struct History {
    std::vector<TransitionEvent> transitions;
    std::vector<persist::AuditEntry> audit;
};

class DashboardControl : public CommandQueue {
    Q_OBJECT
public:
    using CommandQueue::CommandQueue;

    virtual Answer<CommandResult> changeState(TargetKind kind, const std::string &name, OperatorCommand command,
                                              Actor actor, Scope scope = {}) = 0;
    // editText: JSON or YAML mapping of the configuration's policy keys.
    virtual Answer<CommandResult> editPolicy(const std::string &name, const std::string &editText, WindowEdit edit,
                                             const std::string &reason, Actor actor, Scope scope = {}) = 0;
    virtual Answer<Configuration> configuration() = 0;
    // Oldest first.
    virtual Answer<std::vector<TransitionEvent>> recentTransitions(TargetKind kind, const std::string &name) = 0;
    // The last transitions and operator actions, taken together.
    virtual Answer<History> history(std::size_t limit) = 0;

    // Recording the proxy's traffic: the recording under way, one started
    // (active, or the error), the one stopped (not active).
    virtual Answer<RecordingStatus> recording() = 0;
    virtual Answer<RecordingStatus> startRecording(const QString &path) = 0;
    virtual Answer<RecordingStatus> stopRecording() = 0;

signals:
    void observed(std::shared_ptr<const bb::control::Observation> observation);
    void transitioned(const bb::TransitionEvent &event);
    void audited(const bb::persist::AuditEntry &entry);
    // The engine behind is another one (a replay started afresh): what is
    // known of the previous one is void, ask again.
    void replaced();
};

} // namespace bb::control
