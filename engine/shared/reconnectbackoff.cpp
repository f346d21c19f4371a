#include "reconnectbackoff.h"

#include <algorithm>

namespace bb::shared {

std::chrono::milliseconds reconnectDelay(int failures, double unitRandom)
{
    constexpr double first = 200, last = 10000;
    double base = first;
    for (int i = 0; i < failures && base < last; ++i)
        base *= 2;
    base = std::min(base, last);
    const double jitter = 0.8 + 0.4 * std::clamp(unitRandom, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<long long>(base * jitter));
}

} // namespace bb::shared
