// Why a breaker or group changed state, in a form a person can read and a
// program can parse back: toString() and Cause::parse() are inverses.
#pragma once

#include "clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bb {

enum class OperatorAction : std::uint8_t { ForceOpen, ForceClosed, Disable, Reset, HalfOpen };
std::string_view nameOf(OperatorAction a);
std::optional<OperatorAction> parseOperatorAction(std::string_view text);

enum class CauseKind : std::uint8_t {
    None,
    FailureRate,         // rate, threshold, calls
    SlowCallRate,        // rate, threshold, calls, slowMs
    ConsecutiveFailures, // count, limit
    TrialFailure,        // count (permits used), limit (permits)
    TrialSlow,           // slowMs
    TrialSuccesses,      // count, limit
    WaitElapsed,         // waitMs, count (opens since last closed)
    Operator,            // action, actor, reason, expiresInS
    Expiry,              // action, actor, expiresInS (how long it was set for)
    Group,               // group, count (members open), limit (members), threshold
    MemberOfGroup,       // group: a group reset moved this member
    Shared,              // actor (the instance), reason (its own cause as text), waitMs (OPEN: the wait given)
};

struct Cause {
    CauseKind kind = CauseKind::None;
    double rate = 0.0;      // percent
    double threshold = 0.0; // percent
    std::uint64_t calls = 0;
    std::uint64_t count = 0;
    std::uint64_t limit = 0;
    std::int64_t slowMs = 0;
    std::int64_t waitMs = 0;
    OperatorAction action = OperatorAction::Reset;
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expiresInS;
    std::string group;

    std::string toString() const;
    static std::optional<Cause> parse(std::string_view text);
    bool operator==(const Cause &) const = default;
};

// A rate as causes print it: at most two decimals, no trailing zeros.
std::string formatRate(double percent);

} // namespace bb
