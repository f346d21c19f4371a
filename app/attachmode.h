// The dashboard over running instances' admin APIs: `breakerboard --attach
// URL [--attach URL ...] [--token-file FILE] [--ca-file FILE]` or `--fleet
// FILE`. The window is the same as over this process's engine; its control
// interface is the fleet's (remote::FleetControl), and File → Attach adds
// instances while it runs.
#pragma once

#include <QStringList>

namespace bb::app {

// True when the arguments ask for an attached dashboard (--attach or --fleet).
bool wantsAttach(const QStringList &arguments);
// arguments: the program's, as QCoreApplication::arguments() gives them.
int runAttachedDashboard(const QStringList &arguments);

} // namespace bb::app
