// The dashboard: the window over a demo (`breakerboard --demo`, and
// `./run.sh`) or over the proxy for a configuration file (`--config FILE`).
#pragma once

#include "demomode.h"
#include "headlessmode.h"

namespace bb::app {

int runDemoDashboard(const DemoOptions &options);
int runConfiguredDashboard(const HeadlessOptions &options, double stopAfterSeconds);

} // namespace bb::app
