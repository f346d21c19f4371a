// What a command sent over a fleet will do on each instance, said before it
// is sent, and what each instance answered, said after: the operator sees
// the instances it will not reach and every one that did not do it.
#pragma once

#include "actiondialog.h"
#include "control/controltypes.h"
#include "control/fleetview.h"

#include <QStringList>

namespace bb::ui {

class DashboardState;

// One line per instance and target: "eu-1: open → forced open",
// "eu-3: not connected — unchanged", after a line that says where it goes.
QString actionPlan(OperatorAction action, const ActionTarget &target, const control::FleetView &fleet);
// The same for an edit of a service's policy to the values shown.
QString editPlan(const std::string &service, const control::Scope &scope, const DashboardState &state,
                 const BreakerPolicy &shown);
// One line per instance answered: "eu-1: done", "eu-2: refused — failure_threshold: …",
// "eu-3: not reached — connection refused".
QStringList outcomeLines(const control::CommandResult &result, bool group);
QString outcomeText(const control::CommandResult &result, bool group);

} // namespace bb::ui
