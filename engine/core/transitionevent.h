// A change of state of a breaker or group, with its cause and what the
// window held at that moment.
#pragma once

#include "breakerstate.h"
#include "cause.h"
#include "slidingwindow.h"

#include <string>

namespace bb {

struct TransitionEvent {
    std::uint64_t sequence = 0; // engine-wide order of events
    std::string subject;        // breaker or group name
    bool isGroup = false;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    TimePoint at;
    std::int64_t wallMs = 0;
    std::uint64_t generation = 0; // the subject's generation after the change
    Cause cause;
    WindowContents window; // empty for groups
    // The breaker's enforcement then: below 100, the rejections its new state
    // stands for were only partly (0: not at all) carried out. 100 for groups.
    double enforcement = 100.0;
    // The instance it happened on, when a dashboard watches a fleet; empty
    // for this process's engine. Not part of the admin API's JSON.
    std::string instance;

    // One line for logs and terminals: "payment-service closed → open: failure rate ..."
    std::string describe() const;
    // " (monitor only)" or " (25% enforced)" after the cause; empty at 100%.
    std::string enforcementMark() const;
};

} // namespace bb
