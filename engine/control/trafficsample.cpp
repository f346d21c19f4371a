#include "trafficsample.h"

namespace bb::control {

std::vector<ServiceTraffic> sampleTraffic(const proxy::RouteTable &routes)
{
    std::vector<ServiceTraffic> out;
    out.reserve(routes.services().size());
    for (const auto &service : routes.services()) {
        ServiceTraffic t;
        t.name = service->config.name;
        const proxy::ServiceCounters &c = service->counters;
        for (std::size_t i = 0; i < t.outcomes.size(); ++i)
            t.outcomes[i] = c.outcomes[i].load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < t.fallbacks.size(); ++i)
            t.fallbacks[i] = c.fallbacks[i].load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < t.durations.size(); ++i)
            t.durations[i] = c.durationBuckets[i].load(std::memory_order_relaxed);
        t.lastFailure = c.lastFailure.get();
        out.push_back(std::move(t));
    }
    return out;
}

std::uint64_t ServiceTraffic::requests() const
{
    std::uint64_t n = 0;
    for (const auto c : outcomes)
        n += c;
    return n;
}

ServiceTraffic &ServiceTraffic::operator+=(const ServiceTraffic &o)
{
    const auto add = [](auto &into, const auto &from) {
        for (std::size_t i = 0; i < into.size(); ++i)
            into[i] += from[i];
    };
    add(outcomes, o.outcomes);
    add(fallbacks, o.fallbacks);
    add(durations, o.durations);
    if (o.lastFailure.wallMs > lastFailure.wallMs)
        lastFailure = o.lastFailure;
    return *this;
}

double durationQuantile(const std::array<std::uint64_t, proxy::kDurationBucketsMs.size() + 1> &buckets,
                        double fraction)
{
    std::uint64_t total = 0;
    for (const auto n : buckets)
        total += n;
    if (total == 0)
        return 0.0;
    const double rank = fraction * double(total);
    double seen = 0;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
        const double lower = i == 0 ? 0.0 : proxy::kDurationBucketsMs[i - 1];
        if (i == buckets.size() - 1)
            return lower; // beyond the last bound: the bound is what is known
        if (seen + double(buckets[i]) >= rank && buckets[i] > 0) {
            const double upper = proxy::kDurationBucketsMs[i];
            return lower + (upper - lower) * (rank - seen) / double(buckets[i]);
        }
        seen += double(buckets[i]);
    }
    return proxy::kDurationBucketsMs.back();
}

} // namespace bb::control
