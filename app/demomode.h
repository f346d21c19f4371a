// `breakerboard --demo`: the seed's services as simulated upstreams behind
// the real proxy, real HTTP traffic to each, and a scenario (the built-in
// three-minute one, or --scenario FILE) changing them on a timeline, with
// captions and every transition printed.
#pragma once

#include "controlplane.h"

#include "proxy/proxyoptions.h"

#include <QHostAddress>
#include <QString>

namespace bb::app {

struct DemoOptions {
    proxy::ProxyOptions proxy;
    double callsPerSecond = 20; // per service
    QString scenarioPath;       // empty: the built-in default scenario
    double stopAfterSeconds = 0;
    QString screenshotDir; // the dashboard saves its README pictures here, then quits
    ControlPlaneOptions control;
};

int runDemo(const DemoOptions &options);

} // namespace bb::app
