// A dashboard over several instances (a fleet) sees, with each observation,
// what each instance says on its own and how its link to it fares. The
// observation's snapshot and traffic are then the fleet's, merged: per
// breaker the worst state, counts summed, histograms merged. An engine in
// this process has no fleet view.
#pragma once

#include "core/breakerstate.h"

#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bb::control {

struct Observation;

// The link to one instance's admin API.
struct LinkStatus {
    enum class State { Connecting, Connected, Reconnecting, Failed };
    State state = State::Connecting;
    QString problem;         // a few words: "unreachable", "token refused", "certificate error", ...
    QString message;         // one line: what went wrong, as the instance or the network said it
    qint64 nextTryInMs = -1; // Reconnecting: until the next try
    bool operator==(const LinkStatus &) const = default;
};
// "connected", "reconnecting", ...
QString stateLabel(LinkStatus::State s);

struct InstanceView {
    std::string name; // "eu-1", or host:port
    QString url;
    LinkStatus link;
    // What it said last: null before its first snapshot; kept (and shown
    // greyed) while the link is down.
    std::shared_ptr<const Observation> observation;
    bool live() const { return link.state == LinkStatus::State::Connected && observation; }
};

// One breaker (or group) across the fleet.
struct FleetTarget {
    // By instance, in FleetView::instances' order: its state there, or
    // nothing when the instance does not have it or is not connected.
    std::vector<std::optional<BreakerState>> states;
    int reporting = 0;      // connected instances that have it
    int open = 0;           // of them, open or forced open
    bool configDiffers = false; // its policy (group: members, threshold) differs between instances
};

struct FleetView {
    std::vector<InstanceView> instances;
    std::unordered_map<std::string, FleetTarget> breakers;
    std::unordered_map<std::string, FleetTarget> groups;
    int instanceIndex(const std::string &name) const;
};

// "open on 2 of 3" (open and forced open together), "closed on 3 of 3",
// "half open on 1 of 2": the worst state and on how many of those reporting.
QString fleetStateText(BreakerState worst, const FleetTarget &target);

} // namespace bb::control
