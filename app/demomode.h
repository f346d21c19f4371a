// `breakerboard --demo`: the seed's services as simulated upstreams behind
// the real proxy, real HTTP traffic to each, and a scenario (the built-in
// three-minute one, or --scenario FILE) changing them on a timeline, with
// captions and every transition printed.
#pragma once

#include "controlplane.h"

#include <QHostAddress>
#include <QString>

namespace bb::app {

struct DemoOptions {
    QHostAddress proxyAddress = QHostAddress::LocalHost;
    quint16 proxyPort = 8080;
    int workers = 0;
    double callsPerSecond = 20; // per service
    QString scenarioPath;       // empty: the built-in default scenario
    double stopAfterSeconds = 0;
    ControlPlaneOptions control;
};

int runDemo(const DemoOptions &options);

} // namespace bb::app
