// How the window writes an engine's link to its cluster's shared state
// (Redis): the cell and tooltip of the instances panel, the status line's
// badge, and the colour both give each state of the link.
#pragma once

#include "control/sharedstatus.h"

#include <QColor>
#include <QString>

#include <optional>

namespace bb::control {
struct FleetView;
struct InstanceView;
}

namespace bb::ui {

// "connected", "down: WHY", "connecting"; "—" when the engine shares nothing.
QString sharedStateCell(const std::optional<control::SharedStateStatus> &shared);
// Green when connected, red when down (the engine decides alone), amber between.
QColor sharedStateColor(control::SharedStateStatus::Link link);
// One line each: why it is down (when it is), cluster, Redis, instance name,
// breakers mode, refused records, unsent changes.
QString sharedStateTip(const control::SharedStateStatus &shared);
// "shared: connected", "shared: down — deciding alone", "shared: connecting";
// empty when the engine shares nothing.
QString sharedStateBadge(const std::optional<control::SharedStateStatus> &shared);
// What a live instance says of its link to the shared state. What one that
// is not live said of it is old (and the window says it is not live): nothing.
std::optional<control::SharedStateStatus> liveSharedState(const control::InstanceView &instance);
// Live instances whose link to the shared state is down.
int sharedStateDownCount(const control::FleetView &fleet);

} // namespace bb::ui
