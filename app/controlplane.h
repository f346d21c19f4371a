// What every long-running mode wires around its engine: the state directory,
// the control service with its persisted state, the admin API with its token,
// the configuration file watcher, and the console lines they produce.
#pragma once

#include "cluster/clusterlink.h"
#include "control/adminserver.h"
#include "control/configwatcher.h"
#include "control/controlservice.h"
#include "proxy/routetable.h"

#include <QHostAddress>
#include <QString>

#include <memory>
#include <optional>

namespace bb::app {

struct ControlPlaneOptions {
    QString stateDir;   // empty: the platform's app-data location
    QString tokenFile;  // empty: stateDir/admin-token, generated at first start
    QHostAddress adminAddress = QHostAddress::LocalHost;
    quint16 adminPort = 9901;
    bool adminRequired = true; // a busy admin port stops the start (else: a warning)
    std::optional<QSslConfiguration> adminTls; // set: the admin API serves TLS only (control/servertls.h)
    QString configPath;        // watched and reloaded; empty: none (the demo)
    QString recordPath;        // record the proxy's traffic from the start (--record)
    QString overlayPath;       // live policy edits (--policy-overlay); empty: next to configPath
    // The configuration that recordings carry; empty: configPath's text.
    std::string configName;
    std::string configText;
    // Shares state with a cluster through Redis (clusterstart.h); none: alone.
    std::optional<SharedStateSettings> shared;
};

// Applies the policy overlay of the state (next to the configuration file, or
// in the state directory) to a freshly loaded configuration. False after
// printing the overlay's errors.
bool applyPolicyOverlay(Configuration &config, const ControlPlaneOptions &options);

class ControlPlane {
public:
    // Null after printing why it cannot start.
    static std::unique_ptr<ControlPlane> start(Engine &engine, const Configuration &config,
                                               std::shared_ptr<const proxy::RouteTable> routes,
                                               const ControlPlaneOptions &options);
    control::ControlService &control() { return *m_control; }
    // "https://127.0.0.1:9901" ("http://" without TLS), or empty when the admin API could not listen.
    QString adminUrl() const;
    // The cluster's name for this instance, once the proxy's port is known.
    void renameInstance(const std::string &name);

private:
    ControlPlane() = default;
    std::unique_ptr<control::ControlService> m_control;
    std::unique_ptr<cluster::ClusterLink> m_cluster;
    std::unique_ptr<control::AdminServer> m_admin;
    std::unique_ptr<control::ConfigWatcher> m_watcher;
    bool m_adminTls = false;
};

// The state directory an options set resolves to.
QString stateDirectoryOf(const ControlPlaneOptions &options);
// Where policy edits are kept for these options.
QString overlayPathOf(const ControlPlaneOptions &options);

} // namespace bb::app
