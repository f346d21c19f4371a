#include "group.h"

#include "eventqueue.h"

#include <cmath>
#include <stdexcept>

namespace bb {

std::shared_ptr<BreakerGroup> BreakerGroup::create(std::string name, double thresholdPercent, EngineContext context)
{
    if (!std::isfinite(thresholdPercent) || thresholdPercent < 0.0 || thresholdPercent >= 100.0)
        throw std::invalid_argument(name + ": group_threshold: must be a fraction in [0, 1), got " +
                                    formatRate(thresholdPercent / 100.0));
    return std::shared_ptr<BreakerGroup>(new BreakerGroup(std::move(name), thresholdPercent, std::move(context)));
}

BreakerGroup::BreakerGroup(std::string name, double thresholdPercent, EngineContext context)
    : m_name(std::move(name))
    , m_thresholdPercent(thresholdPercent)
    , m_context(std::move(context))
    , m_since(m_context.clock->now())
{
}

void BreakerGroup::addMember(const std::shared_ptr<CircuitBreaker> &member)
{
    {
        std::lock_guard lock(m_mutex);
        for (const auto &name : m_memberNames) {
            if (name == member->name())
                return;
        }
        m_members.push_back(member);
        m_memberNames.push_back(member->name());
    }
    member->attachGroup(shared_from_this());
    memberChanged();
}

std::uint32_t BreakerGroup::membersOpen() const
{
    std::uint32_t open = 0;
    for (const auto &weak : m_members) {
        if (auto member = weak.lock(); member && isOpenLike(member->state()))
            ++open;
    }
    return open;
}

void BreakerGroup::memberChanged()
{
    std::unique_lock lock(m_mutex);
    if (!m_resetting)
        evaluate(lock, std::nullopt);
}

void BreakerGroup::evaluate(std::unique_lock<std::mutex> &, std::optional<Cause> cause)
{
    const std::uint32_t open = membersOpen();
    const auto total = std::uint32_t(m_members.size());
    // "More than the threshold fraction", compared without rounding.
    const bool tripped = total > 0 && double(open) * 100.0 > m_thresholdPercent * double(total);
    const BreakerState automatic = tripped ? BreakerState::Open : BreakerState::Closed;
    const BreakerState next = m_override.value_or(automatic);
    const auto previous = BreakerState(m_state.load(std::memory_order_relaxed));
    // Operators' commands are always on record, even when nothing moves.
    if (next == previous && !cause)
        return;
    if (!cause) {
        cause = Cause{};
        cause->kind = CauseKind::Group;
        cause->count = open;
        cause->limit = total;
        cause->threshold = m_thresholdPercent;
    }
    const TimePoint now = m_context.clock->now();
    m_lastCause = *cause;
    m_since = cause->kind == CauseKind::Expiry && m_expiresAt ? *m_expiresAt : now;
    ++m_generation;
    m_state.store(std::uint8_t(next), std::memory_order_release);

    TransitionEvent event;
    event.subject = m_name;
    event.isGroup = true;
    event.from = previous;
    event.to = next;
    event.at = m_since;
    event.wallMs = m_context.clock->wallMs(m_since);
    event.generation = m_generation;
    event.cause = std::move(*cause);
    m_context.events->push(std::move(event));
}

std::vector<PolicyError> BreakerGroup::apply(const OperatorCommand &command)
{
    auto errors = validate(command, true);
    if (!errors.empty())
        return errors;
    const Cause cause = command.cause();

    std::vector<std::shared_ptr<CircuitBreaker>> members;
    {
        std::unique_lock lock(m_mutex);
        if (command.action != OperatorAction::Reset) {
            m_override = command.target();
            m_overrideCause = cause;
            m_expiresAt.reset();
            const std::uint64_t token = ++m_overrideToken;
            if (command.expiresIn) {
                m_expiresAt = m_context.clock->now() + *command.expiresIn;
                m_context.timers->schedule(*m_expiresAt, [weak = weak_from_this(), token] {
                    if (auto self = weak.lock())
                        self->onExpiry(token);
                });
            }
            evaluate(lock, cause);
            return {};
        }
        m_override.reset();
        m_expiresAt.reset();
        ++m_overrideToken;
        m_resetting = true;
        for (const auto &weak : m_members) {
            if (auto member = weak.lock())
                members.push_back(std::move(member));
        }
    }
    for (const auto &member : members)
        member->resetFromGroup(m_name, command.actor, command.reason);
    std::unique_lock lock(m_mutex);
    m_resetting = false;
    evaluate(lock, cause);
    return {};
}

void BreakerGroup::onExpiry(std::uint64_t overrideToken)
{
    std::unique_lock lock(m_mutex);
    if (overrideToken != m_overrideToken || !m_override || !m_expiresAt)
        return;
    const Cause cause = expiryOf(m_overrideCause);
    m_override.reset();
    evaluate(lock, cause);
    m_expiresAt.reset();
}

GroupSnapshot BreakerGroup::snapshot(TimePoint now) const
{
    std::lock_guard lock(m_mutex);
    GroupSnapshot s;
    s.name = m_name;
    s.state = BreakerState(m_state.load(std::memory_order_acquire));
    s.generation = m_generation;
    s.since = m_since;
    s.timeInState = std::max(Duration::zero(), now - m_since);
    if (m_expiresAt)
        s.expiresIn = std::max(Duration::zero(), *m_expiresAt - now);
    s.members = m_memberNames;
    s.membersOpen = membersOpen();
    for (const auto &weak : m_members) {
        const auto member = weak.lock();
        if (!member)
            continue;
        const CircuitBreaker::Status m = member->status(now);
        const std::optional<Duration> next = m.state == BreakerState::Open ? m.nextTrialIn : m.expiresIn;
        if (isOpenLike(m.state) && next && (!s.nextTrialIn || *next < *s.nextTrialIn))
            s.nextTrialIn = next;
    }
    s.threshold = m_thresholdPercent;
    s.lastCause = m_lastCause;
    return s;
}

} // namespace bb
