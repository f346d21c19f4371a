// The fleet's observation from each instance's: a pure function, so what the
// dashboard shows of a fleet can be checked value by value.
#pragma once

#include "control/trafficsample.h"

#include <memory>
#include <vector>

namespace bb::remote {

// Breakers, groups and services appear in the order instances first name
// them. A state is the worst among the live instances (fleetsummary's
// severity); counts, windows and histograms are summed over every instance
// that has said anything, rates computed from the summed windows.
std::shared_ptr<const control::Observation> mergeFleet(std::vector<control::InstanceView> instances);

// What a dashboard can know of a configuration from a snapshot: each
// breaker's policy, each group's members and threshold.
Configuration configurationOf(const EngineSnapshot &snapshot);

} // namespace bb::remote
