// The services and groups of the seed configuration (DESIGN.md's source
// documents): payment, user and inventory groups with their members, as
// engine policies. Used by the engine demo.
#pragma once

#include "core/engine.h"

#include <string>
#include <vector>

namespace bb::sim {

struct ServiceSpec {
    std::string name;
    BreakerPolicy policy;
};

struct GroupSpec {
    std::string name;
    std::vector<std::string> members;
    double thresholdPercent = 50.0;
};

struct SeedCatalogue {
    std::vector<ServiceSpec> services;
    std::vector<GroupSpec> groups;
};

SeedCatalogue seedCatalogue();
// Adds every service and group of the catalogue to the engine.
void install(Engine &engine, const SeedCatalogue &catalogue);

} // namespace bb::sim
