// The services and groups of the seed configuration (DESIGN.md's source
// documents): payment, user and inventory groups with their members, in the
// configuration model. Used by the engine demo.
#pragma once

#include "config/serviceconfig.h"

namespace bb::sim {

Configuration seedCatalogue();

// The services a demo scenario may name: the catalogue's, and the seed's
// external-api with its backup-api.
std::vector<std::string> demoServiceNames();

} // namespace bb::sim
