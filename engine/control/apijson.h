// Snapshots, transitions and policies as the admin API and its event stream
// give them: JSON with the configuration's key names, rates in percent,
// durations in seconds (or milliseconds where the configuration uses them).
#pragma once

#include "core/snapshot.h"
#include "core/transitionevent.h"

#include <QJsonObject>

namespace bb::control {

// The admin API's version and product name, as GET /api/v1/instance gives
// them: a client that speaks another version refuses to go on.
inline constexpr int kApiVersion = 1;
inline constexpr char kProductName[] = "breakerboard";

// GET /api/v1/instance: product, API version, program version and host name.
QJsonObject instanceJson();
QJsonObject policyJson(const BreakerPolicy &policy);
QJsonObject breakerJson(const BreakerSnapshot &breaker);
QJsonObject groupJson(const GroupSnapshot &group);
QJsonObject transitionJson(const TransitionEvent &event);
QJsonObject snapshotJson(const EngineSnapshot &snapshot);

} // namespace bb::control
