#include "operatorcommand.h"

#include "breakerstate.h"

namespace bb {

BreakerState OperatorCommand::target() const
{
    switch (action) {
    case OperatorAction::ForceOpen:
        return BreakerState::ForcedOpen;
    case OperatorAction::ForceClosed:
        return BreakerState::ForcedClosed;
    case OperatorAction::Disable:
        return BreakerState::Disabled;
    case OperatorAction::HalfOpen:
        return BreakerState::HalfOpen;
    case OperatorAction::Reset:
        break;
    }
    return BreakerState::Closed;
}

Cause OperatorCommand::cause() const
{
    Cause c;
    c.kind = CauseKind::Operator;
    c.action = action;
    c.actor = actor;
    c.reason = reason;
    if (expiresIn)
        c.expiresInS = std::chrono::duration_cast<std::chrono::seconds>(*expiresIn).count();
    return c;
}

Cause expiryOf(const Cause &forcedBy)
{
    Cause c;
    c.kind = CauseKind::Expiry;
    c.action = forcedBy.action;
    c.actor = forcedBy.actor;
    c.expiresInS = forcedBy.expiresInS;
    return c;
}

std::vector<PolicyError> validate(const OperatorCommand &c, bool forGroup)
{
    std::vector<PolicyError> errors;
    const bool expiring = c.action == OperatorAction::ForceOpen || c.action == OperatorAction::ForceClosed ||
                          c.action == OperatorAction::Disable;
    if (forGroup && (c.action == OperatorAction::Disable || c.action == OperatorAction::HalfOpen))
        errors.push_back({"state", "a group can be forced open, forced closed or reset, not set to " +
                                       std::string(nameOf(c.target()))});
    if (c.actor.empty())
        errors.push_back({"actor", "must name who acts"});
    if (c.actor.size() > 200)
        errors.push_back({"actor", "must be at most 200 characters"});
    if (c.reason.size() > 2000)
        errors.push_back({"reason", "must be at most 2000 characters"});
    if (c.expiresIn) {
        if (!expiring)
            errors.push_back({"expires_in_s", "applies only to forced_open, forced_closed and disabled"});
        else if (*c.expiresIn < std::chrono::seconds(1) || *c.expiresIn > kMaxExpiry)
            errors.push_back({"expires_in_s", "must be between 1 s and 30 days, got " +
                                                  std::to_string(toMs(*c.expiresIn) / 1000) + " s"});
    }
    return errors;
}

} // namespace bb
