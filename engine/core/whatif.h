// What a policy would have done with traffic already seen: the calls of each
// second are played again through a fresh breaker on a virtual clock, spread
// evenly over their second. Calls the real breaker rejected never reached an
// upstream, so nothing is known of them and they are not played.
#pragma once

#include "breakerpolicy.h"
#include "breakerstate.h"

#include <cstdint>
#include <vector>

namespace bb {

struct SecondOfCalls {
    std::uint64_t calls = 0;    // recorded by the breaker in this second
    std::uint64_t failures = 0; // of them
    std::uint64_t slow = 0;     // of them, slower than the slow-call duration then in force
};

struct WhatIfResult {
    int opens = 0;          // CLOSED or HALF_OPEN → OPEN
    std::uint64_t rejected = 0; // calls the breaker would have turned away
    std::uint64_t wouldReject = 0; // calls its enforcement below 100% would have let through instead
    BreakerState finalState = BreakerState::Closed;
};

WhatIfResult replaySeconds(const BreakerPolicy &policy, const std::vector<SecondOfCalls> &seconds);

} // namespace bb
