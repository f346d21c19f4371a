// `breakerboard --headless --config FILE`: the proxy and the engine without a
// window, transitions printed with their causes, a clean stop on SIGINT or
// SIGTERM.
#pragma once

#include "controlplane.h"

#include "proxy/proxyoptions.h"

#include <QHostAddress>
#include <QString>

namespace bb::app {

struct HeadlessOptions {
    QString configPath;
    proxy::ProxyOptions proxy;
    ControlPlaneOptions control; // its configPath is set from configPath
};

int runHeadless(const HeadlessOptions &options);

} // namespace bb::app
