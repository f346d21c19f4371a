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
            return group->state() == BreakerState::ForcedOpen ? reject(RejectReason::GroupOpen)
                                                              : shed(RejectReason::GroupOpen, m_word.load(acquire));
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
            return shed(RejectReason::BreakerOpen, word);
        case BreakerState::HalfOpen:
            if (std::optional<Permit> p = acquireHalfOpen(generation))
                return *p;
            continue;
        }
    }
}

Permit CircuitBreaker::reject(RejectReason reason)
{
    m_tallies.rejected[std::size_t(reason)].fetch_add(1, relaxed);
    return Permit::rejected(reason);
}

Permit CircuitBreaker::shed(RejectReason reason, std::uint64_t word)
{
    const std::uint64_t ppm = m_enforcementPpm.load(relaxed);
    if (ppm >= kPpm || enforcedAt(nextShedIndex(generationOf(word)), ppm))
        return reject(reason);
    m_tallies.wouldReject[std::size_t(reason)].fetch_add(1, relaxed);
    return Permit::letThrough(generationOf(word), stateOf(word), reason);
}

std::uint64_t CircuitBreaker::nextShedIndex(std::uint64_t generation)
{
    const std::uint64_t tag = generationTag(generation);
    std::uint64_t s = m_shed.load(relaxed);
    for (;;) {
        const std::uint64_t n = (s >> 32) == tag ? (s & 0xffffffffu) : 0;
        if (m_shed.compare_exchange_weak(s, tag << 32 | ((n + 1) & 0xffffffffu), relaxed))
            return n;
    }
}

std::optional<Permit> CircuitBreaker::acquireHalfOpen(std::uint64_t generation)
{
    const epoch::Guard pinned;
    const std::uint32_t permitted = m_rules.load(acquire)->policy.halfOpenPermittedCalls;
    std::uint64_t h = m_halfOpen.load(acquire);
    for (;;) {
        if (halfOpenTag(h) != generationTag(generation))
            return std::nullopt;
        // Trials held for the fleet's grant are as used up as taken ones.
        if (halfOpenUsed(h) >= permitted || trialsHeld(h))
            return shed(RejectReason::HalfOpenFull, packWord(BreakerState::HalfOpen, generation));
        if (m_halfOpen.compare_exchange_weak(h, h + kHalfOpenPermit, std::memory_order_acq_rel, acquire))
            return Permit(generation, BreakerState::HalfOpen);
    }
}

void CircuitBreaker::record(const Permit &permit, Outcome outcome, Duration latency)
{
    recordAt(permit, outcome, latency, nullptr);
}

void CircuitBreaker::record(const Permit &permit, Outcome outcome, Duration latency, TimePoint completedAt)
{
    recordAt(permit, outcome, latency, &completedAt);
}

void CircuitBreaker::recordAt(const Permit &permit, Outcome outcome, Duration latency, const TimePoint *at)
{
    if (!permit)
        return;
    if (outcome == Outcome::Ignored) {
        m_tallies.ignored.fetch_add(1, relaxed);
        release(permit);
        return;
    }
    const epoch::Guard pinned;
    const CompiledRules &rules = *m_rules.load(acquire);
    const Ending ending{isFailure(outcome), rules.isSlow(latency), at};
    if (outcome == Outcome::Timeout)
        m_tallies.timeouts.fetch_add(1, relaxed);
    if (permit.wouldReject())
        return countUnjudged(ending);

    if (generationOf(m_word.load(acquire)) != permit.generation())
        return countStale(ending);
    switch (permit.admittedIn()) {
    case BreakerState::Closed:
    case BreakerState::ForcedClosed:
        return recordClosed(permit, rules, ending);
    case BreakerState::HalfOpen:
        return recordTrial(permit, rules, ending);
    default: // DISABLED records nothing
        return countUnjudged(ending);
    }
}

void CircuitBreaker::countUnjudged(const Ending &ending)
{
    (ending.failed ? m_unjudged.failures : m_unjudged.successes).fetch_add(1, relaxed);
    if (ending.slow)
        m_unjudged.slow.fetch_add(1, relaxed);
}

void CircuitBreaker::countStale(const Ending &ending)
{
    m_unjudged.stale.fetch_add(1, relaxed);
    countUnjudged(ending);
}

void CircuitBreaker::recordClosed(const Permit &permit, const CompiledRules &rules, const Ending &ending)
{
    SlidingWindow &window = *m_window.load(acquire);
    // The window was published before the generation that admits calls into
    // it: a permit older than the window is of a discarded one.
    if (permit.generation() < window.since())
        return countStale(ending);
    // The precise clock, not the coarse one: a call that completes just
    // after a second begins belongs to that second, here and in a replay of
    // the recorded traffic alike.
    const TimePoint t = window.usesTime() ? ending.time(*m_context.clock) : TimePoint{};
    const WindowTotals w = window.record(t, ending.failed, ending.slow);
    if (permit.admittedIn() == BreakerState::ForcedClosed)
        return; // shown live, never trips

    std::uint64_t consecutive = 0;
    if (rules.consecutiveFailures != 0) {
        if (ending.failed)
            consecutive = window.countFailure();
        else
            window.countSuccess();
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
    Request trip{BreakerState::Open, std::move(cause), ending.time(*m_context.clock)};
    trip.judgedBy = &rules;
    transition(permit.generation(), std::move(trip));
}

void CircuitBreaker::recordTrial(const Permit &permit, const CompiledRules &rules, const Ending &ending)
{
    countUnjudged(ending);
    const std::uint64_t tag = generationTag(permit.generation());
    if (ending.failed || (ending.slow && rules.slowRuleSet())) {
        Cause cause;
        if (ending.failed) {
            cause.kind = CauseKind::TrialFailure;
            cause.count = halfOpenUsed(m_halfOpen.load(acquire));
            cause.limit = rules.policy.halfOpenPermittedCalls;
        } else {
            cause.kind = CauseKind::TrialSlow;
            cause.slowMs = toMs(rules.policy.slowCallDuration);
        }
        transition(permit.generation(), {BreakerState::Open, std::move(cause), ending.time(*m_context.clock)});
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
        transition(permit.generation(), {BreakerState::Closed, std::move(cause), ending.time(*m_context.clock)});
    }
}

void CircuitBreaker::release(const Permit &permit)
{
    if (!permit || permit.admittedIn() != BreakerState::HalfOpen || permit.wouldReject())
        return;
    std::uint64_t h = m_halfOpen.load(acquire);
    do {
        if (halfOpenTag(h) != generationTag(permit.generation()) || halfOpenUsed(h) == 0)
            return;
    } while (!m_halfOpen.compare_exchange_weak(h, h - kHalfOpenPermit, std::memory_order_acq_rel, acquire));
}

BreakerState CircuitBreaker::state() const { return stateOf(m_word.load(acquire)); }
std::uint64_t CircuitBreaker::generation() const { return generationOf(m_word.load(acquire)); }
BreakerPolicy CircuitBreaker::policy() const
{
    const epoch::Guard pinned;
    return m_rules.load(acquire)->policy;
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

std::shared_ptr<const CircuitBreaker::StateInfo> CircuitBreaker::info() const
{
    std::lock_guard lock(m_mutex);
    return m_info;
}

// Every call any window judged: the current one, those replaced and not yet
// freed (with what late writers added to them), and those freed; under the
// lock, so that no window moves from one to the other meanwhile.
WindowTotals CircuitBreaker::lifetime() const
{
    WindowTotals t = m_ownedWindow->lifetime();
    t += m_carried;
    m_retiredWindows.forEach([&t](const RetiredWindow &retired) { t += retired.late(); });
    return t;
}

BreakerSnapshot CircuitBreaker::snapshot(TimePoint now) const
{
    BreakerSnapshot s;
    s.name = m_name;
    std::shared_ptr<const StateInfo> current;
    WindowTotals life;
    {
        std::lock_guard lock(m_mutex);
        current = m_info;
        life = lifetime();
    }
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

    const epoch::Guard pinned;
    const CompiledRules &rules = *m_rules.load(acquire);
    const SlidingWindow &window = *m_window.load(acquire);
    s.policy = rules.policy;
    s.window = window.totals(now);
    s.failureRate = ratePercent(s.window.failures, s.window.calls);
    s.slowCallRate = ratePercent(s.window.slow, s.window.calls);

    BreakerTotals &t = s.totals;
    t.successes = life.calls - life.failures + m_unjudged.successes.load(relaxed);
    t.failures = life.failures + m_unjudged.failures.load(relaxed);
    t.slow = life.slow + m_unjudged.slow.load(relaxed);
    t.timeouts = m_tallies.timeouts.load(relaxed);
    t.ignored = m_tallies.ignored.load(relaxed);
    t.stale = m_unjudged.stale.load(relaxed);
    for (std::size_t i = 0; i < t.rejected.size(); ++i) {
        t.rejected[i] = m_tallies.rejected[i].load(relaxed);
        t.wouldReject[i] = m_tallies.wouldReject[i].load(relaxed);
    }

    if (s.state == BreakerState::HalfOpen) {
        const std::uint64_t h = m_halfOpen.load(acquire);
        if (halfOpenTag(h) == generationTag(s.generation)) {
            s.halfOpenPermitsUsed = halfOpenUsed(h);
            s.halfOpenSuccesses = halfOpenSuccesses(h);
            s.trialsHeld = trialsHeld(h);
        }
        const std::uint32_t permitted = s.trialsHeld ? 0 : rules.policy.halfOpenPermittedCalls;
        s.halfOpenPermitsLeft = permitted > s.halfOpenPermitsUsed ? permitted - s.halfOpenPermitsUsed : 0;
    }
    s.consecutiveFailures = window.consecutiveFailures();
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
