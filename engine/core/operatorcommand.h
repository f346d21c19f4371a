// What an operator asks of a breaker or group, and the checks it must pass.
#pragma once

#include "breakerpolicy.h"
#include "breakerstate.h"
#include "cause.h"

#include <optional>
#include <string>
#include <vector>

namespace bb {

struct OperatorCommand {
    OperatorAction action = OperatorAction::Reset;
    std::string actor;
    std::string reason;
    std::optional<Duration> expiresIn; // forced states and disable only

    // The state the command leads to.
    BreakerState target() const;
    // The cause its transition carries.
    Cause cause() const;
};

// The cause of a forced state's end, from the cause that forced it.
Cause expiryOf(const Cause &forcedBy);

inline constexpr Duration kMaxExpiry = std::chrono::hours(24 * 30);

// Field names as in the admin API: "state", "actor", "reason", "expires_in_s".
std::vector<PolicyError> validate(const OperatorCommand &command, bool forGroup);

} // namespace bb
