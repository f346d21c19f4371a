// How the window writes what it knows of a fleet: a link's state, each
// instance's state of one breaker or group, and the fleet in one line.
// Shared by the services and groups trees, the instances panel, the status
// line and the dialogs that act over a fleet.
#pragma once

#include "control/fleetview.h"

#include <QString>

namespace bb::ui {

// "connected", "connecting", "reconnecting in 3 s", "token refused" (a
// failed link says its problem).
QString linkText(const control::LinkStatus &link);
// One line per instance: "eu-1: open", "eu-3: reconnecting in 3 s".
QString instanceStatesTip(const control::FleetView &fleet, const control::FleetTarget &target);
// "3 instances: 2 connected, 1 reconnecting"
QString fleetSummary(const control::FleetView &fleet);
// Marks a breaker or group whose settings are not the same on every instance.
inline const QString kDiffersMark = QStringLiteral("≠");
QString differsTip();

} // namespace bb::ui
