// Joining the cluster that the configuration or --redis names: the Redis
// password from the URL or its file, the link on the control thread, and
// the shared state read before the proxy admits its first request.
#pragma once

#include "cluster/clusterlink.h"
#include "config/sharedstateflags.h"

#include <QString>

#include <chrono>
#include <memory>

namespace bb::app {

// How long a start waits for Redis before it goes on alone.
inline constexpr std::chrono::milliseconds kClusterStartWait{2000};

// Null after printing why not (an unreadable password file). routes: the
// proxy's, whose cache fallbacks are shared; null without a proxy.
std::unique_ptr<cluster::ClusterLink> joinCluster(control::ControlService &control, const SharedStateSettings &settings,
                                                  std::shared_ptr<const proxy::RouteTable> routes, const Clock &clock);

// The settings of the file and the flags, with the instance named after this
// machine and the proxy's port when --instance does not name it.
std::optional<SharedStateSettings> sharedStateSettings(const Configuration &config, const SharedStateFlags &flags,
                                                       quint16 proxyPort);

} // namespace bb::app
