#include "whatif.h"

#include "engine.h"
#include "manualclock.h"

namespace bb {

WhatIfResult replaySeconds(const BreakerPolicy &policy, const std::vector<SecondOfCalls> &seconds)
{
    ManualClock clock{TimePoint(std::chrono::hours(1))};
    Engine engine(clock, clock);
    const auto breaker = engine.addBreaker("what-if", policy);
    const Duration slowLatency = policy.slowCallDuration + std::chrono::milliseconds(1);
    const Duration fastLatency = std::chrono::milliseconds(1);
    WhatIfResult result;
    for (const SecondOfCalls &second : seconds) {
        const TimePoint start = clock.now();
        const std::uint64_t fails = std::min(second.failures, second.calls);
        const std::uint64_t slow = std::min(second.slow, second.calls);
        for (std::uint64_t i = 0; i < second.calls; ++i) {
            clock.advanceTo(start + std::chrono::duration_cast<Duration>(std::chrono::duration<double>(double(i) / double(second.calls))));
            // Failures first spread through the second by position, slow calls likewise.
            const bool failed = (i * fails) / second.calls != ((i + 1) * fails) / second.calls;
            const bool isSlow = (i * slow) / second.calls != ((i + 1) * slow) / second.calls;
            const Permit permit = breaker->tryAcquire();
            if (!permit) {
                ++result.rejected;
                continue;
            }
            if (permit.wouldReject())
                ++result.wouldReject;
            breaker->record(permit, failed ? Outcome::Failure : Outcome::Success, isSlow ? slowLatency : fastLatency);
        }
        clock.advanceTo(start + std::chrono::seconds(1));
    }
    for (const TransitionEvent &event : engine.drainEvents())
        if (event.to == BreakerState::Open)
            ++result.opens;
    result.finalState = breaker->state();
    return result;
}

} // namespace bb
