// The live clock: CLOCK_MONOTONIC for engine time, the wall clock for display.
#pragma once

#include "clock.h"

namespace bb {

class SystemClock final : public Clock {
public:
    SystemClock();
    TimePoint now() const override;
    TimePoint coarseNow() const override;
    std::int64_t wallMs(TimePoint t) const override;

private:
    std::int64_t m_wallOffsetNs = 0;
};

} // namespace bb
