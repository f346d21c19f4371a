// The one control interface over a running engine. The dashboard, the admin
// API and a remote client all go through it: list breakers and groups, get
// one with its recent transitions, change state with actor, reason and
// expiry, edit a policy with validation, reload the configuration, and
// subscribe to transitions, operator actions and snapshots. Lives on the
// control thread and samples the engine every 100 ms.
#pragma once

#include "config/configloader.h"
#include "controltypes.h"
#include "core/engine.h"
#include "persist/auditlog.h"
#include "persist/policyoverlay.h"
#include "proxyrecording.h"
#include "sharedstatus.h"
#include "trafficsample.h"

#include <QObject>
#include <QStringList>
#include <QTimer>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bb::control {

struct ReloadResult {
    bool applied = false;
    std::vector<ConfigIssue> issues;         // errors (then nothing applied) and warnings
    std::vector<std::string> changed;        // services whose policy changed
    std::vector<std::string> needRestart;    // changes that take effect at the next start
};

// Where the service keeps what must survive a restart. Empty paths: not kept.
struct StateFiles {
    QString forcedStates;
    QString auditLog;
    QString policyOverlay;
};

class ControlService : public QObject {
    Q_OBJECT
public:
    // config: what the engine was built from (policy edits start from it).
    ControlService(Engine &engine, Configuration config, QObject *parent = nullptr);
    ~ControlService() override;

    // Keeps forced states, the audit log and policy edits in these files from
    // now on, and forces again what was forced when the files were last
    // written. Returns what is worth telling the operator.
    QStringList persistTo(const StateFiles &files);

    std::shared_ptr<const EngineSnapshot> snapshot() const { return m_snapshot; }
    // The proxy's counters now; empty without a proxy.
    std::vector<ServiceTraffic> traffic() const { return m_routes ? sampleTraffic(*m_routes) : std::vector<ServiceTraffic>{}; }
    const Configuration &configuration() const { return m_config; }
    Engine &engine() { return m_engine; }
    // The policy edits in force, as the overlay file keeps them; empty when none.
    std::string policyEditsText() const { return m_overlay.empty() ? std::string() : m_overlay.text(); }
    // Oldest first: at most kHistory per breaker or group, kHistory * 20 in all.
    std::vector<TransitionEvent> recentTransitions(TargetKind kind, const std::string &name) const;
    std::vector<TransitionEvent> transitions(std::size_t limit) const;
    std::vector<persist::AuditEntry> audit(std::size_t limit) const;

    CommandResult changeState(TargetKind kind, const std::string &name, OperatorCommand command,
                              const Actor &actor);
    // editText: JSON or YAML mapping of the configuration's policy keys.
    CommandResult editPolicy(const std::string &name, const std::string &editText, WindowEdit edit,
                             const std::string &reason, const Actor &actor);
    // Reads the configuration file again: a valid file's policy changes apply
    // live; a file with errors is refused and nothing of it is applied.
    ReloadResult reload(const QString &configPath, const Actor &actor);

    // The proxy's counters go with every snapshot from now on (observed()).
    void observeTraffic(std::shared_ptr<const proxy::RouteTable> routes) { m_routes = std::move(routes); }
    // Where the admin API starts and stops recordings; null without a proxy.
    void setRecording(ProxyRecording *recording) { m_recording = recording; }
    ProxyRecording *recording() const { return m_recording; }
    // The cluster this instance shares state with; null: none. Its status
    // goes with every observation.
    void setSharedState(const SharedStateSource *source) { m_shared = source; }
    const SharedStateSource *sharedState() const { return m_shared; }

    // Drains events and takes a snapshot now (the timer does it every 100 ms).
    void sample();

    static constexpr std::size_t kHistory = 50;
    static constexpr std::size_t kAuditKept = 1000;

signals:
    void transitioned(const bb::TransitionEvent &event);
    void audited(const bb::persist::AuditEntry &entry);
    // A service's policy changed here (an edit or a reload), after audited.
    void policyChanged(const std::string &service, const bb::control::Actor &actor, const std::string &reason);
    void sampled(std::shared_ptr<const bb::EngineSnapshot> snapshot);
    // The same snapshot with the proxy's counters: what the dashboard reads.
    void observed(std::shared_ptr<const bb::control::Observation> observation);

private:
    void record(persist::AuditEntry entry);
    void saveForcedStates();
    void restoreForcedStates(QStringList &notes);
    static std::string targetName(TargetKind kind, const std::string &name);
    // The breaker's or group's own checks and change; nullopt when there is no such target.
    std::optional<std::vector<PolicyError>> applyTo(TargetKind kind, const std::string &name,
                                                    const OperatorCommand &command);

    Engine &m_engine;
    Configuration m_config;
    QTimer m_sampler;
    std::shared_ptr<const EngineSnapshot> m_snapshot;
    std::map<std::string, std::deque<TransitionEvent>> m_transitions; // by targetName
    std::deque<TransitionEvent> m_allTransitions;
    std::deque<persist::AuditEntry> m_audit;
    StateFiles m_files;
    std::unique_ptr<persist::AuditLog> m_auditLog;
    persist::PolicyOverlay m_overlay;
    QByteArray m_savedForced;
    std::shared_ptr<const proxy::RouteTable> m_routes;
    ProxyRecording *m_recording = nullptr;
    const SharedStateSource *m_shared = nullptr;
};

} // namespace bb::control
