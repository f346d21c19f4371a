// Small configurations shared by the control tests and the admin API's fuzzer.
#pragma once

#include <string>

namespace bb::testing {

// Count windows of 4 calls, open at 50%, wait 10 s; the services follow.
inline const std::string kCountWindowDefaults = "circuit_breakers:\n"
                                                "  default:\n"
                                                "    failure_threshold: 0.5\n"
                                                "    recovery_timeout: 10000\n"
                                                "    window: {type: count, size: 4}\n"
                                                "    volume_threshold: 4\n";

// Two services in one group.
inline const std::string kTwoServices = kCountWindowDefaults +
                                  "  services:\n"
                                  "    a: {}\n"
                                  "    b: {}\n"
                                  "  hierarchical:\n"
                                  "    groups:\n"
                                  "      g:\n"
                                  "        services: [a, b]\n"
                                  "        group_threshold: 0.5\n";

} // namespace bb::testing
