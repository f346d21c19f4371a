// `breakerboard --headless --config FILE`: the proxy and the engine without a
// window, transitions printed with their causes, a clean stop on SIGINT or
// SIGTERM.
#pragma once

#include "controlplane.h"

#include "config/sharedstateflags.h"
#include "proxy/proxyoptions.h"

#include <QHostAddress>
#include <QString>

#include <memory>

namespace bb::app {

struct HeadlessOptions {
    QString configPath;
    proxy::ProxyOptions proxy;
    ControlPlaneOptions control; // its configPath is set from configPath
    SharedStateFlags shared;     // --redis, --instance (checked already)
};

int runHeadless(const HeadlessOptions &options);

class ProxyStack;
// Loads the configuration (printing its issues) with its policy overlay and
// starts the proxy stack on it; null when that fails.
std::unique_ptr<ProxyStack> startConfigured(const HeadlessOptions &options, Configuration &config);

} // namespace bb::app
