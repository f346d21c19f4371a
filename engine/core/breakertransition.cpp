// The breaker's slow side: construction, transitions, timers, operator
// commands and policy edits. Everything here runs under m_mutex.
#include "breaker.h"

#include "breakerinternal.h"
#include "eventqueue.h"
#include "group.h"

#include <stdexcept>
#include <utility>

namespace bb {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;
constexpr auto publish = std::memory_order_release;

std::uint64_t fnv1a(std::string_view s)
{
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

std::string joinErrors(const std::vector<PolicyError> &errors)
{
    std::string text;
    for (const auto &e : errors)
        text += (text.empty() ? "" : "; ") + e.field + ": " + e.message;
    return text;
}


} // namespace

std::shared_ptr<CircuitBreaker> CircuitBreaker::create(std::string name, const BreakerPolicy &policy,
                                                       EngineContext context)
{
    if (const auto errors = validate(policy); !errors.empty())
        throw std::invalid_argument(name + ": " + joinErrors(errors));
    return std::shared_ptr<CircuitBreaker>(new CircuitBreaker(std::move(name), policy, std::move(context)));
}

CircuitBreaker::CircuitBreaker(std::string name, const BreakerPolicy &policy, EngineContext context)
    : m_name(std::move(name))
    , m_context(std::move(context))
    , m_word(packWord(BreakerState::Closed, 1))
    , m_enforcementPpm(CompiledRules(policy).enforcementPpm)
    , m_ownedRules(std::make_unique<CompiledRules>(policy))
    , m_ownedWindow(SlidingWindow::create(policy.windowType, policy.windowSize))
    , m_random(fnv1a(m_name) ^ m_context.seed)
{
    m_ownedWindow->renew(1, m_context.clock->now());
    m_rules.store(m_ownedRules.get(), publish);
    m_window.store(m_ownedWindow.get(), publish);
    auto first = std::make_shared<StateInfo>();
    first->generation = 1;
    first->enteredIn = 1;
    first->since = m_context.clock->now();
    m_info = std::move(first);
}

CircuitBreaker::~CircuitBreaker() = default;

double CircuitBreaker::nextJitterUnit()
{
    // splitmix64: deterministic per breaker name and engine seed, so replays
    // choose the same waits.
    std::uint64_t z = (m_random += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return double(z >> 11) * 0x1.0p-53;
}

void CircuitBreaker::scheduleAt(TimePoint at, void (CircuitBreaker::*handler)(std::uint64_t),
                                std::uint64_t generation)
{
    m_context.timers->schedule(at, [weak = weak_from_this(), handler, generation] {
        if (auto self = weak.lock())
            ((*self).*handler)(generation);
    });
}

std::unique_ptr<SlidingWindow> CircuitBreaker::freshWindow(const BreakerPolicy &policy, std::uint64_t since,
                                                           TimePoint now)
{
    std::unique_ptr<SlidingWindow> window;
    if (m_spareWindow && m_spareWindow->hasShape(policy.windowType, policy.windowSize))
        window = std::move(m_spareWindow);
    else
        window = SlidingWindow::create(policy.windowType, policy.windowSize);
    window->renew(since, now);
    return window;
}

// Publishes the fresh window before the generation that admits calls into
// it, so a permit of that generation always finds it.
void CircuitBreaker::replaceWindow(std::unique_ptr<SlidingWindow> fresh)
{
    m_window.store(fresh.get(), publish);
    auto retired = std::make_unique<RetiredWindow>();
    retired->window = std::exchange(m_ownedWindow, std::move(fresh));
    retired->lifetime = retired->window->lifetime();
    m_carried += retired->lifetime;
    m_retiredWindows.add(std::move(retired));
}

void CircuitBreaker::reclaim()
{
    m_retiredRules.reclaim();
    m_retiredWindows.reclaim([this](std::unique_ptr<RetiredWindow> retired) {
        m_carried += retired->late();
        if (!m_spareWindow)
            m_spareWindow = std::move(retired->window);
    });
}

void CircuitBreaker::notifyGroups()
{
    for (const auto &slot : m_groups) {
        if (BreakerGroup *group = slot.load(std::memory_order_acquire))
            group->memberChanged();
    }
}

bool CircuitBreaker::transition(std::uint64_t expectedGeneration, Request request)
{
    {
        std::lock_guard lock(m_mutex);
        if (!transitionLocked(expectedGeneration, std::move(request)))
            return false;
    }
    notifyGroups();
    return true;
}

bool CircuitBreaker::transitionLocked(std::uint64_t expectedGeneration, Request request)
{
    const std::uint64_t word = m_word.load(relaxed);
    if (expectedGeneration != kAnyGeneration && generationOf(word) != expectedGeneration)
        return false; // someone else moved the breaker first
    if (request.judgedBy && request.judgedBy != m_ownedRules.get())
        return false; // an edit came first; the next call is judged by its rules
    const std::shared_ptr<const StateInfo> previous = m_info;
    const std::uint64_t generation = generationOf(word) + 1;
    const BreakerPolicy &policy = m_ownedRules->policy;

    auto next = std::make_shared<StateInfo>();
    next->state = request.to;
    next->generation = generation;
    next->enteredIn = generation;
    next->since = request.at;
    next->opensSinceClosed = previous->opensSinceClosed;
    next->cause = std::move(request.cause);

    TransitionEvent event;
    event.subject = m_name;
    event.from = stateOf(word);
    event.to = request.to;
    event.at = request.at;
    event.wallMs = m_context.clock->wallMs(request.at);
    event.generation = generation;
    event.cause = next->cause;
    event.window = m_ownedWindow->contents(request.at);
    event.enforcement = policy.enforcement;

    switch (request.to) {
    case BreakerState::Open:
        next->opensSinceClosed += 1;
        next->wait = request.wait ? *request.wait
                                  : jittered(backoffWait(policy, next->opensSinceClosed), policy.jitter,
                                             nextJitterUnit());
        next->nextTrialAt = request.at + next->wait;
        m_nextTrialAt.store(next->nextTrialAt.time_since_epoch().count(), relaxed);
        scheduleAt(next->nextTrialAt, &CircuitBreaker::onWaitElapsed, generation);
        break;
    case BreakerState::HalfOpen:
        m_halfOpen.store(packHalfOpen(generation, 0, 0, request.holdTrials), relaxed);
        break;
    case BreakerState::Closed:
        next->opensSinceClosed = 0;
        if (!request.keepWindow)
            replaceWindow(freshWindow(policy, generation, request.at));
        break;
    case BreakerState::ForcedOpen:
    case BreakerState::ForcedClosed:
    case BreakerState::Disabled:
        if (request.expiresIn) {
            next->expiresAt = request.at + *request.expiresIn;
            scheduleAt(*next->expiresAt, &CircuitBreaker::onExpiry, generation);
        }
        break;
    }
    m_info = std::move(next);
    // Publishing the word last: a thread that sees the new generation also
    // sees the half-open word, the next trial time and the window set above.
    m_word.store(packWord(request.to, generation), publish);
    m_transitions[std::size_t(stateOf(word))][std::size_t(request.to)].fetch_add(1, relaxed);
    m_context.events->push(std::move(event));
    reclaim();
    return true;
}

// The same state in a new generation: calls admitted before it are no longer
// judged. Timers of the old generation are scheduled again for the new one;
// a half-open trial round starts afresh.
void CircuitBreaker::renewGeneration()
{
    const std::uint64_t word = m_word.load(relaxed);
    const std::uint64_t generation = generationOf(word) + 1;
    auto next = std::make_shared<StateInfo>(*m_info);
    next->generation = generation;
    switch (next->state) {
    case BreakerState::Open:
        scheduleAt(next->nextTrialAt, &CircuitBreaker::onWaitElapsed, generation);
        break;
    case BreakerState::HalfOpen: // still waiting for the fleet's grant, or not
        m_halfOpen.store(packHalfOpen(generation, 0, 0, trialsHeld(m_halfOpen.load(relaxed))), relaxed);
        break;
    default:
        break;
    }
    if (next->expiresAt)
        scheduleAt(*next->expiresAt, &CircuitBreaker::onExpiry, generation);
    m_info = std::move(next);
    m_word.store(packWord(stateOf(word), generation), publish);
}

void CircuitBreaker::onWaitElapsed(std::uint64_t generation)
{
    {
        std::lock_guard lock(m_mutex);
        const auto current = m_info;
        if (current->generation != generation || current->state != BreakerState::Open)
            return;
        Cause cause;
        cause.kind = CauseKind::WaitElapsed;
        cause.waitMs = toMs(current->wait);
        cause.count = current->opensSinceClosed;
        // At exactly opened_at + wait, however late the timer or the call that noticed.
        Request request{BreakerState::HalfOpen, std::move(cause), current->nextTrialAt};
        request.holdTrials = m_holdTrials;
        if (!transitionLocked(generation, std::move(request)))
            return;
    }
    notifyGroups();
}

void CircuitBreaker::onExpiry(std::uint64_t generation)
{
    {
        std::lock_guard lock(m_mutex);
        const auto current = m_info;
        if (current->generation != generation || !current->expiresAt)
            return;
        Request request{BreakerState::Closed, expiryOf(current->cause), *current->expiresAt};
        request.keepWindow = current->state == BreakerState::ForcedClosed;
        if (!transitionLocked(generation, std::move(request)))
            return;
    }
    notifyGroups();
}

std::vector<PolicyError> CircuitBreaker::apply(const OperatorCommand &command)
{
    auto errors = validate(command, false);
    if (!errors.empty())
        return errors;
    Request request{command.target(), command.cause(), m_context.clock->now()};
    request.expiresIn = command.expiresIn;
    transition(kAnyGeneration, std::move(request));
    return {};
}

void CircuitBreaker::resetFromGroup(const std::string &group, const std::string &actor, const std::string &reason)
{
    Cause cause;
    cause.kind = CauseKind::MemberOfGroup;
    cause.action = OperatorAction::Reset;
    cause.group = group;
    cause.actor = actor;
    cause.reason = reason;
    transition(kAnyGeneration, {BreakerState::Closed, std::move(cause), m_context.clock->now()});
}

PolicyUpdate CircuitBreaker::updatePolicy(const BreakerPolicy &policy, WindowEdit edit)
{
    PolicyUpdate result;
    result.errors = validate(policy);
    if (!result.errors.empty())
        return result;

    std::lock_guard lock(m_mutex);
    const TimePoint now = m_context.clock->now();
    const BreakerPolicy &old = m_ownedRules->policy;
    const bool reshaped = !old.sameWindowShape(policy);
    if (reshaped || edit == WindowEdit::Reset) {
        const std::uint64_t since = generationOf(m_word.load(relaxed)) + 1;
        auto fresh = freshWindow(policy, since, now);
        if (edit == WindowEdit::Keep) {
            fresh->carryOver(m_ownedWindow->contents(now), now);
            fresh->setConsecutiveFailures(m_ownedWindow->consecutiveFailures());
        }
        const WindowTotals carriedOver = fresh->lifetime(); // in both windows' lifetimes
        replaceWindow(std::move(fresh));
        m_carried = m_carried - carriedOver;
        renewGeneration();
        result.windowReset = edit == WindowEdit::Reset || old.windowType != policy.windowType;
    }
    auto rules = std::make_unique<CompiledRules>(policy);
    m_enforcementPpm.store(rules->enforcementPpm, relaxed);
    m_rules.store(rules.get(), publish);
    m_retiredRules.add(std::exchange(m_ownedRules, std::move(rules)));
    reclaim();
    result.generation = generationOf(m_word.load(relaxed));
    return result;
}

void CircuitBreaker::attachGroup(std::shared_ptr<BreakerGroup> group)
{
    std::lock_guard lock(m_mutex);
    for (auto &slot : m_groups) {
        if (slot.load(relaxed) == group.get())
            return;
        if (!slot.load(relaxed)) {
            slot.store(group.get(), publish);
            m_groupRefs.push_back(std::move(group));
            return;
        }
    }
    throw std::invalid_argument(m_name + ": a service can be in at most " + std::to_string(kMaxGroups) + " groups");
}

} // namespace bb
