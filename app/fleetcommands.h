// The fleet commands after their arguments were checked, and what they share:
// one step on every instance at once, each after its identity was checked.
#pragma once

#include "remote/adminclient.h"

#include <QJsonObject>
#include <functional>
#include <vector>

namespace bb::app {

struct FleetTargets {
    std::vector<remote::Instance> instances;
    bool json = false;
};

struct StateChange {
    QString target;     // a breaker's or a group's name
    bool group = false; // TARGET was group/NAME
    QJsonObject body;   // for POST .../state: state, reason, actor, expires_in_s
};

int runStatus(const FleetTargets &fleet);
int runSet(const FleetTargets &fleet, const StateChange &change);

using FleetStep =
    std::function<void(remote::AdminClient &, std::function<void(const remote::Reply &)>)>;
// Identifies every instance at once and, where that succeeds, runs step on
// it; returns when all have answered (each request within its own timeout).
// One reply per instance, in order: the step's, or the failed identify's.
std::vector<remote::Reply> onEveryInstance(const std::vector<remote::Instance> &instances,
                                           const FleetStep &step);

// A command's JSON output.
void printJson(const QJsonObject &output);
// 0 when no instance failed; else 2, after "breakerboard: N of M instances
// <failure>" on stderr.
int exitStatus(std::size_t failed, std::size_t total, const QString &failure);

} // namespace bb::app
