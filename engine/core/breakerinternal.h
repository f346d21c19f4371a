// Private to the breaker's two source files: how its words are packed and
// what a published state carries.
#pragma once

#include "breaker.h"

namespace bb {

inline constexpr std::uint64_t packWord(BreakerState s, std::uint64_t generation)
{
    return generation << 8 | std::uint64_t(s);
}
inline constexpr BreakerState stateOf(std::uint64_t word) { return BreakerState(word & 0xff); }
inline constexpr std::uint64_t generationOf(std::uint64_t word) { return word >> 8; }

// Half-open word: whether its trials wait for a grant (the top bit), which
// generation it belongs to (31 bits of it), trial permits used, trial successes.
inline constexpr std::uint64_t kTrialsHeld = std::uint64_t(1) << 63;
inline constexpr std::uint64_t generationTag(std::uint64_t generation) { return generation & 0x7fffffffu; }
inline constexpr std::uint64_t packHalfOpen(std::uint64_t generation, std::uint64_t used, std::uint64_t successes,
                                            bool held = false)
{
    return (held ? kTrialsHeld : 0) | generationTag(generation) << 32 | (used & 0xffff) << 16 | (successes & 0xffff);
}
inline constexpr std::uint64_t halfOpenTag(std::uint64_t word) { return generationTag(word >> 32); }
inline constexpr bool trialsHeld(std::uint64_t word) { return (word & kTrialsHeld) != 0; }
inline constexpr std::uint32_t halfOpenUsed(std::uint64_t word) { return std::uint32_t(word >> 16 & 0xffff); }
inline constexpr std::uint32_t halfOpenSuccesses(std::uint64_t word) { return std::uint32_t(word & 0xffff); }
inline constexpr std::uint64_t kHalfOpenPermit = std::uint64_t(1) << 16;

// Everything about the current state that the hot path does not need.
// Immutable once published; one per generation.
struct CircuitBreaker::StateInfo {
    BreakerState state = BreakerState::Closed;
    std::uint64_t generation = 0;
    std::uint64_t enteredIn = 0;         // the generation that entered the state; edits renew only `generation`
    TimePoint since;
    TimePoint nextTrialAt;               // OPEN
    Duration wait{};                     // OPEN: the wait that was chosen
    std::optional<TimePoint> expiresAt;  // forced states and DISABLED
    std::uint32_t opensSinceClosed = 0;
    Cause cause;
};

// A change of state asked for by a rule, a timer or an operator.
struct CircuitBreaker::Request {
    Request(BreakerState state, Cause why, TimePoint when) : to(state), cause(std::move(why)), at(when) {}
    BreakerState to = BreakerState::Closed;
    Cause cause;
    TimePoint at;
    bool keepWindow = false;
    std::optional<Duration> expiresIn;
    std::optional<Duration> wait;  // OPEN: this wait, not the policy's (another instance chose it)
    bool holdTrials = false;       // HALF_OPEN: admit no trial until grantTrials()
    // A call's verdict: valid only while these rules are still in force.
    const CompiledRules *judgedBy = nullptr;
};

} // namespace bb
