// `breakerboard --headless --config FILE`: the proxy and the engine without a
// window, transitions printed with their causes, a clean stop on SIGINT or
// SIGTERM.
#pragma once

#include "controlplane.h"

#include <QHostAddress>
#include <QString>

namespace bb::app {

struct HeadlessOptions {
    QString configPath;
    QHostAddress proxyAddress = QHostAddress::LocalHost;
    quint16 proxyPort = 8080;
    int workers = 0;
    ControlPlaneOptions control; // its configPath is set from configPath
};

int runHeadless(const HeadlessOptions &options);

} // namespace bb::app
