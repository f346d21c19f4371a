// Shared by the dashboard tests: observations from a control rig, and short
// ways to make a breaker fail or succeed.
#pragma once

#include "../control/controltesting.h"

#include "modeltesting.h"

#include "control/trafficsample.h"

namespace bb::testing {

// Three services in one group, gamma with a threshold of its own.
inline const std::string kThreeServices = kCountWindowDefaults +
                                    "  services:\n"
                                    "    alpha: {}\n"
                                    "    beta: {}\n"
                                    "    gamma: {failure_threshold: 0.9}\n"
                                    "  hierarchical:\n"
                                    "    groups:\n"
                                    "      trio:\n"
                                    "        services: [alpha, beta, gamma]\n"
                                    "        group_threshold: 0.5\n";

inline void calls(Engine &engine, const char *name, int n, Outcome outcome)
{
    const auto b = engine.breaker(name);
    for (int i = 0; i < n; ++i) {
        const Permit p = b->tryAcquire();
        if (p)
            b->record(p, outcome, std::chrono::milliseconds(3));
    }
}

inline control::Observation observationOf(ControlRig &rig, std::vector<control::ServiceTraffic> traffic = {})
{
    rig.control->sample();
    return {rig.control->snapshot(), std::move(traffic), nullptr, std::nullopt};
}

} // namespace bb::testing
