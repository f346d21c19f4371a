// The states a breaker or group can be in, and the small vocabularies that go
// with calls through it: outcomes and reasons for rejection.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace bb {

enum class BreakerState : std::uint8_t {
    Closed,
    Open,
    HalfOpen,
    ForcedOpen,
    ForcedClosed,
    Disabled,
};
inline constexpr int kBreakerStateCount = 6;

// Lower-case names as used in the admin API, logs and recordings.
std::string_view nameOf(BreakerState s);
std::optional<BreakerState> parseBreakerState(std::string_view text);
// Does a breaker in this state let every call through?
bool admitsAllCalls(BreakerState s);
// OPEN or FORCED_OPEN: the states that count towards a group opening.
inline bool isOpenLike(BreakerState s) { return s == BreakerState::Open || s == BreakerState::ForcedOpen; }

enum class Outcome : std::uint8_t {
    Success,
    Failure, // connect error, reset, configured failure status
    Timeout, // no complete answer in time; also a failure
    Ignored, // configured ignored status: not recorded at all
};
std::string_view nameOf(Outcome o);
std::optional<Outcome> parseOutcome(std::string_view text);
inline bool isFailure(Outcome o) { return o == Outcome::Failure || o == Outcome::Timeout; }

// Why a call was not let through, or NotRejected when it was. A breaker
// rejects for the four reasons after NotRejected and counts each;
// Bulkhead is the proxy's own: the service's bulkhead was full.
enum class RejectReason : std::uint8_t {
    NotRejected, // the call was admitted
    BreakerOpen,
    ForcedOpen,
    HalfOpenFull, // all trial permits are taken
    GroupOpen,
    Bulkhead,
};
inline constexpr int kBreakerRejectReasonCount = 5;
std::string_view nameOf(RejectReason r);

} // namespace bb
