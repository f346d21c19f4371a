// `breakerboard` in a terminal: the seed services on the live clock, driven
// by synthetic traffic, with every transition printed with its cause.
#pragma once

#include "controlplane.h"

namespace bb::app {

struct EngineDemoOptions {
    int callsPerSecond = 20; // per service
    double stopAfterSeconds = 0; // 0: run until stopped
    ControlPlaneOptions control;
};

int runEngineDemo(const EngineDemoOptions &options);

} // namespace bb::app
