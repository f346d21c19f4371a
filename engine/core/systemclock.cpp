#include "systemclock.h"

#include <time.h>

namespace bb {

namespace {
std::int64_t read(clockid_t id)
{
    timespec ts{};
    clock_gettime(id, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

SystemClock::SystemClock() : m_wallOffsetNs(read(CLOCK_REALTIME) - read(CLOCK_MONOTONIC)) {}

TimePoint SystemClock::now() const { return TimePoint(Duration(read(CLOCK_MONOTONIC))); }

// CLOCK_MONOTONIC_COARSE shares CLOCK_MONOTONIC's origin and costs a fifth.
TimePoint SystemClock::coarseNow() const { return TimePoint(Duration(read(CLOCK_MONOTONIC_COARSE))); }

std::int64_t SystemClock::wallMs(TimePoint t) const
{
    return (t.time_since_epoch().count() + m_wallOffsetNs) / 1'000'000;
}

} // namespace bb
