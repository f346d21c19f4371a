// Immutable values that describe every breaker and group at one moment. The
// dashboard, the admin API and metrics read these, never the live objects.
#pragma once

#include "breakerpolicy.h"
#include "breakerstate.h"
#include "cause.h"
#include "slidingwindow.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace bb {

struct BreakerTotals {
    std::uint64_t successes = 0;
    std::uint64_t failures = 0; // includes timeouts
    std::uint64_t timeouts = 0;
    std::uint64_t slow = 0;
    std::uint64_t ignored = 0;
    std::uint64_t stale = 0; // outcomes of an older generation: counted, never judged
    std::array<std::uint64_t, kBreakerRejectReasonCount> rejected{};
    // Calls let through although the breaker would have rejected them (its
    // enforcement is below 100%), by the reason it would have given.
    std::array<std::uint64_t, kBreakerRejectReasonCount> wouldReject{};
    std::uint64_t rejectedTotal() const;
    std::uint64_t wouldRejectTotal() const;
    bool operator==(const BreakerTotals &) const = default;
};

// The moments of a breaker or group on the wall clock, each taken from its
// own instant, so that they stay the same from one snapshot to the next
// while nothing happens (what a reader on another machine needs).
struct WallMoments {
    std::int64_t sinceMs = 0;
    std::optional<std::int64_t> nextTrialMs;
    std::optional<std::int64_t> expiresMs;
    bool operator==(const WallMoments &) const = default;
};

struct BreakerSnapshot {
    std::string name;
    BreakerState state = BreakerState::Closed;
    std::uint64_t generation = 0;
    TimePoint since;
    Duration timeInState{};
    std::optional<Duration> nextTrialIn; // OPEN: until HALF_OPEN
    std::optional<Duration> expiresIn;   // forced states with an expiry
    WallMoments wall;
    WindowTotals window;
    double failureRate = 0.0; // percent of the window
    double slowCallRate = 0.0;
    BreakerTotals totals;
    std::uint32_t halfOpenPermitsUsed = 0;
    std::uint32_t halfOpenPermitsLeft = 0;
    std::uint32_t halfOpenSuccesses = 0;
    bool trialsHeld = false; // HALF_OPEN: no trial admitted until the fleet grants them (holdTrials)
    std::uint64_t consecutiveFailures = 0;
    // How often the breaker went from one state to another: [from][to].
    std::array<std::array<std::uint64_t, kBreakerStateCount>, kBreakerStateCount> transitions{};
    std::uint32_t opensSinceClosed = 0;
    Cause lastCause;
    BreakerPolicy policy;
    std::vector<std::string> groups;
};

struct GroupSnapshot {
    std::string name;
    BreakerState state = BreakerState::Closed;
    std::uint64_t generation = 0;
    TimePoint since;
    Duration timeInState{};
    std::optional<Duration> expiresIn;
    WallMoments wall;
    std::vector<std::string> members;
    std::uint32_t membersOpen = 0;
    // The soonest a member that holds the group open may let calls through.
    std::optional<Duration> nextTrialIn;
    double threshold = 0.0; // percent
    Cause lastCause;
};

struct EngineSnapshot {
    TimePoint at;
    std::int64_t wallMs = 0;
    std::vector<BreakerSnapshot> breakers;
    std::vector<GroupSnapshot> groups;

    const BreakerSnapshot *breaker(std::string_view name) const;
    const GroupSnapshot *group(std::string_view name) const;
};

} // namespace bb
