#include "breakerstate.h"

#include <array>

namespace bb {

namespace {
constexpr std::array<std::string_view, kBreakerStateCount> kStateNames = {
    "closed", "open", "half_open", "forced_open", "forced_closed", "disabled"};
constexpr std::array<std::string_view, 4> kOutcomeNames = {"success", "failure", "timeout", "ignored"};
constexpr std::array<std::string_view, kBreakerRejectReasonCount + 1> kRejectNames = {
    "not_rejected", "breaker_open", "forced_open", "half_open_full", "group_open", "bulkhead"};

template <typename Enum, std::size_t N>
std::optional<Enum> parseName(const std::array<std::string_view, N> &names, std::string_view text)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == text)
            return Enum(i);
    }
    return std::nullopt;
}
} // namespace

std::string_view nameOf(BreakerState s) { return kStateNames[std::size_t(s)]; }
std::optional<BreakerState> parseBreakerState(std::string_view text)
{
    return parseName<BreakerState>(kStateNames, text);
}

bool admitsAllCalls(BreakerState s)
{
    return s == BreakerState::Closed || s == BreakerState::ForcedClosed || s == BreakerState::Disabled;
}

std::string_view nameOf(Outcome o) { return kOutcomeNames[std::size_t(o)]; }
std::optional<Outcome> parseOutcome(std::string_view text) { return parseName<Outcome>(kOutcomeNames, text); }

std::string_view nameOf(RejectReason r) { return kRejectNames[std::size_t(r)]; }

} // namespace bb
