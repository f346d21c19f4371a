// The breakers of several instances merged into one row each, as the command
// line and a fleet view show them: the worst state, "open on K of N", and the
// requests summed. An instance that did not answer adds no row and no count;
// the caller shows it as not connected.
#pragma once

#include "core/breakerstate.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <cstdint>
#include <utility>
#include <vector>

namespace bb::remote {

// How bad a state is for the calls, higher is worse: a state that turns calls
// away is worse than one that lets them through. forced_open (turns every call
// away and does not recover by itself) > open (every call, until its timer) >
// half_open (all but the trial calls) > disabled (lets all through, protects
// and records nothing) > forced_closed (lets all through, never trips) > closed.
int severity(BreakerState state);
bool turnsCallsAway(BreakerState state); // open or forced_open

// The requests a breaker counted, from its totals in the admin API: successes
// + failures (timeouts are among them) + ignored + rejected. Calls still under
// way are not in it yet; calls a bulkhead turned away never reached the breaker.
std::uint64_t requestsOf(const QJsonObject &breaker);

struct FleetBreaker {
    QString name;
    BreakerState worst = BreakerState::Closed;
    std::vector<std::pair<QString, BreakerState>>
        states;            // instance → state, in the instances' order
    int instancesOpen = 0; // of states.size()
    std::uint64_t requestsTotal = 0;
};

struct InstanceBreakers {
    QString instance;
    QJsonArray breakers; // GET /api/v1/breakers's "breakers"
};

// One row per breaker name, sorted by name. A breaker whose state this
// program does not know is left out.
std::vector<FleetBreaker> mergeBreakers(const std::vector<InstanceBreakers> &answered);

} // namespace bb::remote
