// Snapshots, transitions, policies and traffic as the admin API and its
// event stream give them: JSON with the configuration's key names, rates in
// percent, durations in seconds (or milliseconds where the configuration
// uses them). The readers take the same JSON back, as a remote dashboard
// gets it: anything missing or of the wrong type makes them give nothing.
#pragma once

#include "trafficsample.h"

#include "core/snapshot.h"
#include "core/transitionevent.h"

#include <QJsonObject>

#include <optional>

namespace bb::control {

// How a snapshot's durations are written. For people and scripts, relative
// to the snapshot (seconds in the state, until the next trial); for the
// event stream, as wall-clock instants, so that the JSON of a breaker that
// does not change does not change either.
enum class Times { Relative, Absolute };

// The admin API's version and product name, as GET /api/v1/instance gives
// them: a client that speaks another version refuses to go on.
inline constexpr int kApiVersion = 1;
inline constexpr char kProductName[] = "breakerboard";

// GET /api/v1/instance: product, API version, program version and host name.
QJsonObject instanceJson();
QJsonObject policyJson(const BreakerPolicy &policy);
QJsonObject breakerJson(const BreakerSnapshot &breaker, Times times = Times::Relative);
QJsonObject groupJson(const GroupSnapshot &group, Times times = Times::Relative);
QJsonObject transitionJson(const TransitionEvent &event);
QJsonObject trafficJson(const ServiceTraffic &traffic);

// The readers. wallMs is the time of the snapshot the object came with;
// Times::Absolute objects (the event stream's) carry instants, the others
// durations.
std::optional<BreakerPolicy> policyFromJson(const QJsonObject &o);
std::optional<BreakerSnapshot> breakerFromJson(const QJsonObject &o, std::int64_t wallMs, Times times);
std::optional<GroupSnapshot> groupFromJson(const QJsonObject &o, std::int64_t wallMs, Times times);
std::optional<TransitionEvent> transitionFromJson(const QJsonObject &o);
std::optional<ServiceTraffic> trafficFromJson(const QJsonObject &o);

// The bounds of the duration histogram, as the stream announces them: a
// reader merges histograms only with its own bounds.
QJsonArray durationBoundsJson();
bool sameDurationBounds(const QJsonValue &bounds);

} // namespace bb::control
