#include "servicecounters.h"

namespace bb::proxy {

std::string_view nameOf(RequestOutcome o)
{
    static constexpr std::array<std::string_view, kRequestOutcomeCount> names = {
        "success", "failure", "timeout", "ignored", "rejected_breaker", "rejected_group", "rejected_bulkhead",
        "fallback"};
    return names[std::size_t(o)];
}

std::uint64_t ServiceCounters::total() const
{
    std::uint64_t sum = 0;
    for (const auto &o : outcomes)
        sum += o.load(std::memory_order_relaxed);
    return sum;
}

} // namespace bb::proxy
