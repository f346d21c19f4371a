// The breaker's cluster side: taking the steps other instances decided, and
// holding half-open trials until the fleet grants them. Called from the
// control thread; like every change of state, under m_mutex.
#include "breaker.h"

#include "breakerinternal.h"

#include <algorithm>

namespace bb {

namespace {
Cause sharedCause(const std::string &instance, const Cause &theirCause)
{
    Cause cause;
    cause.kind = CauseKind::Shared;
    cause.actor = instance;
    cause.reason = theirCause.toString();
    return cause;
}
} // namespace

// A followed open counts among the opens since last closed, as a local one
// does: its wait is the other instance's (already backed off there), but if
// a trial here fails later, the next wait backs off from the fleet's opens
// rather than starting over. Closing, followed or not, starts the count anew.
bool CircuitBreaker::followOpen(const std::string &instance, const Cause &theirCause, Duration remainingWait)
{
    const Duration wait = std::max(remainingWait, ms(1));
    Request request{BreakerState::Open, sharedCause(instance, theirCause), m_context.clock->now()};
    request.cause.waitMs = toMs(wait);
    request.wait = wait;
    return follow(BreakerState::Closed, BreakerState::HalfOpen, std::move(request));
}

bool CircuitBreaker::followClose(const std::string &instance, const Cause &theirCause)
{
    return follow(BreakerState::Open, BreakerState::HalfOpen,
                  {BreakerState::Closed, sharedCause(instance, theirCause), m_context.clock->now()});
}

bool CircuitBreaker::follow(BreakerState from1, BreakerState from2, Request request)
{
    {
        std::lock_guard lock(m_mutex);
        const BreakerState now = stateOf(m_word.load(std::memory_order_relaxed));
        if (now != from1 && now != from2)
            return false;
        if (!transitionLocked(kAnyGeneration, std::move(request)))
            return false;
    }
    notifyGroups();
    return true;
}

void CircuitBreaker::holdTrials(bool hold)
{
    std::lock_guard lock(m_mutex);
    m_holdTrials = hold;
    if (!hold && m_info->state == BreakerState::HalfOpen)
        m_halfOpen.fetch_and(~kTrialsHeld, std::memory_order_acq_rel);
}

bool CircuitBreaker::grantTrials(std::uint64_t halfOpenGeneration)
{
    std::lock_guard lock(m_mutex);
    const StateInfo &current = *m_info;
    if (current.state != BreakerState::HalfOpen ||
        (halfOpenGeneration != current.enteredIn && halfOpenGeneration != current.generation))
        return false;
    // Under the lock the word belongs to this HALF_OPEN: only trials change it meanwhile.
    m_halfOpen.fetch_and(~kTrialsHeld, std::memory_order_acq_rel);
    return true;
}

} // namespace bb
