// The services and groups of the seed configuration (DESIGN.md's source
// documents): payment, user and inventory groups with their members, in the
// configuration model. Used by the engine demo.
#pragma once

#include "config/serviceconfig.h"

namespace bb::sim {

Configuration seedCatalogue();

} // namespace bb::sim
