// A clock that moves only when told to, and fires the timers it passes at
// their exact times. Used by tests, replay and what-if previews.
#pragma once

#include "clock.h"

#include <atomic>
#include <map>
#include <mutex>

namespace bb {

class ManualClock final : public Clock, public TimerSource {
public:
    explicit ManualClock(TimePoint start = TimePoint{}, std::int64_t wallOriginMs = 0);

    TimePoint now() const override { return TimePoint(Duration(m_now.load(std::memory_order_acquire))); }
    std::int64_t wallMs(TimePoint t) const override;
    void schedule(TimePoint at, std::function<void()> callback) override;

    // Moves time forward, stopping at each due timer to run it at its time.
    void advance(Duration d) { advanceTo(now() + d); }
    void advanceTo(TimePoint target);

private:
    std::atomic<std::int64_t> m_now;
    std::int64_t m_wallOriginMs;
    // The earliest timer's time: a move that stays before it takes no lock,
    // which is what replay does between most of its calls.
    std::atomic<std::int64_t> m_nextDue;
    mutable std::mutex m_mutex;
    std::multimap<TimePoint, std::function<void()>> m_timers;
};

} // namespace bb
