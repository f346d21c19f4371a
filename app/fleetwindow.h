// A dashboard window over a fleet: the fleet's control interface, the
// window's link to it and the window, with File → Attach adding instances
// to it (or saying why it could not).
#pragma once

#include "remote/fleetcontrol.h"
#include "ui/dashboardlink.h"
#include "ui/mainwindow.h"

namespace bb::ui {
class Theme;
}

namespace bb::app {

class FleetWindow {
public:
    explicit FleetWindow(ui::Theme *theme);

    // An error when the instance is in the fleet already.
    QString add(const remote::Instance &instance) { return m_fleet.add(instance); }
    // Adds the instance File → Attach names; why it could not, or empty.
    QString attach(const QString &url, const QString &tokenFile, const QString &caFile);
    ui::MainWindow &window() { return m_window; }

private:
    remote::FleetControl m_fleet;
    ui::DashboardLink m_link;
    ui::MainWindow m_window;
};

} // namespace bb::app
