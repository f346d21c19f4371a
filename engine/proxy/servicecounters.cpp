#include "servicecounters.h"

namespace bb::proxy {

std::string_view nameOf(RequestOutcome o)
{
    static constexpr std::array<std::string_view, kRequestOutcomeCount> names = {
        "success", "failure", "timeout", "ignored", "rejected_breaker", "rejected_group", "rejected_bulkhead",
        "fallback", "client_timeout"};
    return names[std::size_t(o)];
}

void ServiceCounters::observeDuration(double ms)
{
    std::size_t i = 0;
    while (i < kDurationBucketsMs.size() && ms > kDurationBucketsMs[i])
        ++i;
    durationBuckets[i].fetch_add(1, std::memory_order_relaxed);
    durationSumMicros.fetch_add(std::uint64_t(ms * 1000.0), std::memory_order_relaxed);
}

std::uint64_t ServiceCounters::total() const
{
    std::uint64_t sum = 0;
    for (const auto &o : outcomes)
        sum += o.load(std::memory_order_relaxed);
    return sum;
}

} // namespace bb::proxy
