#include "breaker.h"

#include "breakerinternal.h"
#include "group.h"

#include <cmath>
#include <stdexcept>

namespace bb {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;
constexpr auto acquire = std::memory_order_acquire;
constexpr std::uint64_t kPpm = 1'000'000;

double roundRate(double percent) { return std::round(percent * 100.0) / 100.0; }
} // namespace

Permit CircuitBreaker::tryAcquire()
{
    for (const auto &slot : m_groups) {
        const BreakerGroup *group = slot.load(acquire);
        if (!group)
            break;
        if (group->rejectsCalls())
            return reject(RejectReason::GroupOpen);
    }
    for (;;) {
        const std::uint64_t word = m_word.load(acquire);
        const std::uint64_t generation = generationOf(word);
        switch (stateOf(word)) {
        case BreakerState::Closed:
        case BreakerState::ForcedClosed:
        case BreakerState::Disabled:
            return Permit(generation, stateOf(word));
        case BreakerState::ForcedOpen:
            return reject(RejectReason::ForcedOpen);
        case BreakerState::Open:
            // The timer moves the breaker at opened_at + wait; a call that
            // arrives first must not be rejected for a timer running late.
            if (m_context.clock->coarseNow().time_since_epoch().count() >= m_nextTrialAt.load(relaxed)) {
                onWaitElapsed(generation);
                continue;
            }
            return reject(RejectReason::BreakerOpen);
        case BreakerState::HalfOpen: {
            Permit p = acquireHalfOpen(generation);
            if (p || p.rejectReason() != RejectReason::None)
                return p;
            continue; // the state changed under us
        }
        }
    }
}

Permit CircuitBreaker::reject(RejectReason reason)
{
    m_outside.rejected[std::size_t(reason)].fetch_add(1, relaxed);
    return Permit::rejected(reason);
}

Permit CircuitBreaker::acquireHalfOpen(std::uint64_t generation)
{
    const std::uint32_t permitted = m_rules.load(acquire)->policy.halfOpenPermittedCalls;
    std::uint64_t h = m_halfOpen.load(acquire);
    for (;;) {
        if (halfOpenTag(h) != generationTag(generation))
            return Permit{};
        if (halfOpenUsed(h) >= permitted)
            return reject(RejectReason::HalfOpenFull);
        if (m_halfOpen.compare_exchange_weak(h, h + kHalfOpenPermit, std::memory_order_acq_rel, acquire))
            return Permit(generation, BreakerState::HalfOpen);
    }
}

void CircuitBreaker::record(const Permit &permit, Outcome outcome, Duration latency)
{
    if (!permit)
        return;
    if (outcome == Outcome::Ignored) {
        m_outside.ignored.fetch_add(1, relaxed);
        release(permit);
        return;
    }
    const CompiledRules &rules = *m_rules.load(acquire);
    const bool failed = isFailure(outcome);
    const bool slow = rules.isSlow(latency);
    if (outcome == Outcome::Timeout)
        m_outside.timeouts.fetch_add(1, relaxed);

    if (generationOf(m_word.load(acquire)) != permit.generation()) {
        m_outside.stale.fetch_add(1, relaxed);
        countOutside(failed, slow);
        return;
    }
    switch (permit.admittedIn()) {
    case BreakerState::Closed:
    case BreakerState::ForcedClosed:
        recordClosed(permit, rules, failed, slow);
        return;
    case BreakerState::HalfOpen:
        recordTrial(permit, rules, failed, slow);
        return;
    default: // DISABLED records nothing
        countOutside(failed, slow);
        return;
    }
}

void CircuitBreaker::countOutside(bool failed, bool slow)
{
    (failed ? m_outside.failures : m_outside.successes).fetch_add(1, relaxed);
    if (slow)
        m_outside.slow.fetch_add(1, relaxed);
}

void CircuitBreaker::recordClosed(const Permit &permit, const CompiledRules &rules, bool failed, bool slow)
{
    SlidingWindow &window = *m_window.load(acquire);
    // The precise clock, not the coarse one: a call that completes just
    // after a second begins belongs to that second, here and in a replay of
    // the recorded traffic alike.
    const TimePoint t = window.usesTime() ? m_context.clock->now() : TimePoint{};
    const WindowTotals w = window.record(t, failed, slow);
    if (permit.admittedIn() == BreakerState::ForcedClosed)
        return; // shown live, never trips

    std::uint64_t consecutive = 0;
    if (rules.consecutiveFailures != 0) {
        if (failed)
            consecutive = m_consecutiveFailures.fetch_add(1, relaxed) + 1;
        else if (m_consecutiveFailures.load(relaxed) != 0)
            m_consecutiveFailures.store(0, relaxed);
    }

    Cause cause;
    if (w.calls >= rules.minimumCalls && w.failures * kPpm >= rules.failurePpm * w.calls) {
        cause.kind = CauseKind::FailureRate;
        cause.rate = roundRate(ratePercent(w.failures, w.calls));
        cause.threshold = rules.policy.failureRateThreshold;
    } else if (w.calls >= rules.minimumCalls && rules.slowRuleSet() && w.slow * kPpm >= rules.slowPpm * w.calls) {
        cause.kind = CauseKind::SlowCallRate;
        cause.rate = roundRate(ratePercent(w.slow, w.calls));
        cause.threshold = *rules.policy.slowCallRateThreshold;
        cause.slowMs = toMs(rules.policy.slowCallDuration);
    } else if (consecutive != 0 && consecutive >= rules.consecutiveFailures) {
        cause.kind = CauseKind::ConsecutiveFailures;
        cause.count = consecutive;
        cause.limit = rules.consecutiveFailures;
    } else {
        return;
    }
    cause.calls = w.calls;
    transition(permit.generation(), {BreakerState::Open, std::move(cause), m_context.clock->now()});
}

void CircuitBreaker::recordTrial(const Permit &permit, const CompiledRules &rules, bool failed, bool slow)
{
    countOutside(failed, slow);
    const std::uint64_t tag = generationTag(permit.generation());
    if (failed || (slow && rules.slowRuleSet())) {
        Cause cause;
        if (failed) {
            cause.kind = CauseKind::TrialFailure;
            cause.count = halfOpenUsed(m_halfOpen.load(acquire));
            cause.limit = rules.policy.halfOpenPermittedCalls;
        } else {
            cause.kind = CauseKind::TrialSlow;
            cause.slowMs = toMs(rules.policy.slowCallDuration);
        }
        transition(permit.generation(), {BreakerState::Open, std::move(cause), m_context.clock->now()});
        return;
    }
    std::uint64_t h = m_halfOpen.load(acquire);
    do {
        if (halfOpenTag(h) != tag)
            return;
    } while (!m_halfOpen.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel, acquire));
    const std::uint32_t successes = halfOpenSuccesses(h + 1);
    if (successes >= rules.policy.halfOpenSuccessThreshold) {
        Cause cause;
        cause.kind = CauseKind::TrialSuccesses;
        cause.count = successes;
        cause.limit = rules.policy.halfOpenSuccessThreshold;
        transition(permit.generation(), {BreakerState::Closed, std::move(cause), m_context.clock->now()});
    }
}

void CircuitBreaker::release(const Permit &permit)
{
    if (!permit || permit.admittedIn() != BreakerState::HalfOpen)
        return;
    std::uint64_t h = m_halfOpen.load(acquire);
    do {
        if (halfOpenTag(h) != generationTag(permit.generation()) || halfOpenUsed(h) == 0)
            return;
    } while (!m_halfOpen.compare_exchange_weak(h, h - kHalfOpenPermit, std::memory_order_acq_rel, acquire));
}

BreakerState CircuitBreaker::state() const { return stateOf(m_word.load(acquire)); }
std::uint64_t CircuitBreaker::generation() const { return generationOf(m_word.load(acquire)); }
BreakerPolicy CircuitBreaker::policy() const { return m_rules.load(acquire)->policy; }
std::shared_ptr<const CircuitBreaker::StateInfo> CircuitBreaker::info() const
{
    std::lock_guard lock(m_infoMutex);
    return m_info;
}

CircuitBreaker::Status CircuitBreaker::status(TimePoint now) const
{
    const std::shared_ptr<const StateInfo> current = info();
    Status s;
    s.state = current->state;
    if (s.state == BreakerState::Open)
        s.nextTrialIn = std::max(Duration::zero(), current->nextTrialAt - now);
    if (current->expiresAt)
        s.expiresIn = std::max(Duration::zero(), *current->expiresAt - now);
    s.cause = current->cause;
    return s;
}

const BreakerGroup *CircuitBreaker::rejectingGroup() const
{
    for (const auto &slot : m_groups) {
        const BreakerGroup *group = slot.load(acquire);
        if (!group)
            break;
        if (group->rejectsCalls())
            return group;
    }
    return nullptr;
}

BreakerSnapshot CircuitBreaker::snapshot(TimePoint now) const
{
    BreakerSnapshot s;
    s.name = m_name;
    const std::shared_ptr<const StateInfo> current = info();
    s.state = current->state;
    s.generation = current->generation;
    s.since = current->since;
    s.timeInState = std::max(Duration::zero(), now - current->since);
    if (s.state == BreakerState::Open)
        s.nextTrialIn = std::max(Duration::zero(), current->nextTrialAt - now);
    if (current->expiresAt)
        s.expiresIn = std::max(Duration::zero(), *current->expiresAt - now);
    s.opensSinceClosed = current->opensSinceClosed;
    s.lastCause = current->cause;

    const CompiledRules &rules = *m_rules.load(acquire);
    const SlidingWindow &window = *m_window.load(acquire);
    s.policy = rules.policy;
    s.window = window.totals(now);
    s.failureRate = ratePercent(s.window.failures, s.window.calls);
    s.slowCallRate = ratePercent(s.window.slow, s.window.calls);

    const WindowTotals life = window.lifetime();
    const std::uint64_t calls = life.calls + m_carriedCalls.load(relaxed);
    const std::uint64_t failures = life.failures + m_carriedFailures.load(relaxed);
    BreakerTotals &t = s.totals;
    t.successes = calls - failures + m_outside.successes.load(relaxed);
    t.failures = failures + m_outside.failures.load(relaxed);
    t.slow = life.slow + m_carriedSlow.load(relaxed) + m_outside.slow.load(relaxed);
    t.timeouts = m_outside.timeouts.load(relaxed);
    t.ignored = m_outside.ignored.load(relaxed);
    t.stale = m_outside.stale.load(relaxed);
    for (std::size_t i = 0; i < t.rejected.size(); ++i)
        t.rejected[i] = m_outside.rejected[i].load(relaxed);

    if (s.state == BreakerState::HalfOpen) {
        const std::uint64_t h = m_halfOpen.load(acquire);
        if (halfOpenTag(h) == generationTag(s.generation)) {
            s.halfOpenPermitsUsed = halfOpenUsed(h);
            s.halfOpenSuccesses = halfOpenSuccesses(h);
        }
        const std::uint32_t permitted = rules.policy.halfOpenPermittedCalls;
        s.halfOpenPermitsLeft = permitted > s.halfOpenPermitsUsed ? permitted - s.halfOpenPermitsUsed : 0;
    }
    s.consecutiveFailures = m_consecutiveFailures.load(relaxed);
    for (std::size_t from = 0; from < s.transitions.size(); ++from) {
        for (std::size_t to = 0; to < s.transitions[from].size(); ++to)
            s.transitions[from][to] = m_transitions[from][to].load(relaxed);
    }
    for (const auto &slot : m_groups) {
        if (const BreakerGroup *g = slot.load(acquire))
            s.groups.push_back(g->name());
    }
    return s;
}

} // namespace bb
