#include "recording.h"

#include <algorithm>
#include <array>

namespace bb::record {

namespace {
constexpr std::array<std::string_view, kCallOutcomeCount> kOutcomeNames = {"success", "failure", "timeout",
                                                                            "ignored", "rejected"};
}

std::string_view nameOf(CallOutcome o) { return kOutcomeNames[std::size_t(o)]; }

std::optional<CallOutcome> parseCallOutcome(std::string_view text)
{
    for (std::size_t i = 0; i < kOutcomeNames.size(); ++i) {
        if (kOutcomeNames[i] == text)
            return CallOutcome(i);
    }
    return std::nullopt;
}

std::int64_t Recording::endNs() const
{
    std::int64_t end = 0;
    for (const RecordedCall &call : calls)
        end = std::max(end, call.atNs + call.latencyNs);
    return end;
}

std::optional<std::uint32_t> Recording::serviceIndex(std::string_view name) const
{
    const auto it = std::find(services.begin(), services.end(), name);
    if (it == services.end())
        return std::nullopt;
    return std::uint32_t(it - services.begin());
}

} // namespace bb::record
