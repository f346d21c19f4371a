// The dashboard: the window over a demo (`breakerboard --demo`, and
// `./run.sh`), over the proxy for a configuration file (`--config FILE`), or
// over a replay of a recording (`--replay FILE`). Every dashboard window can
// open recordings and import logs into windows of their own.
#pragma once

#include "demomode.h"
#include "headlessmode.h"

namespace bb::app {

int runDemoDashboard(const DemoOptions &options);
int runConfiguredDashboard(const HeadlessOptions &options, double stopAfterSeconds);
struct ReplayDashboardOptions {
    QString recording;
    QString configPath; // empty: the configuration the recording carries
    QStringList whatIf; // opens the what-if view with these too
    double speed = 1;   // ReplayPlayer::kMaxSpeed: max
    double stopAfterSeconds = 0;
    QString screenshotDir;
};
// The dashboard over a replay of a recording (`--replay FILE`).
int runReplayDashboard(const ReplayDashboardOptions &options);

} // namespace bb::app
