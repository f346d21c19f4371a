#include "snapshot.h"

#include <numeric>

namespace bb {

std::uint64_t BreakerTotals::rejectedTotal() const
{
    return std::accumulate(rejected.begin(), rejected.end(), std::uint64_t(0));
}

std::uint64_t BreakerTotals::wouldRejectTotal() const
{
    return std::accumulate(wouldReject.begin(), wouldReject.end(), std::uint64_t(0));
}

const BreakerSnapshot *EngineSnapshot::breaker(std::string_view name) const
{
    for (const auto &b : breakers) {
        if (b.name == name)
            return &b;
    }
    return nullptr;
}

const GroupSnapshot *EngineSnapshot::group(std::string_view name) const
{
    for (const auto &g : groups) {
        if (g.name == name)
            return &g;
    }
    return nullptr;
}

} // namespace bb
