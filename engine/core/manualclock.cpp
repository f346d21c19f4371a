#include "manualclock.h"

namespace bb {

ManualClock::ManualClock(TimePoint start, std::int64_t wallOriginMs)
    : m_now(start.time_since_epoch().count()), m_wallOriginMs(wallOriginMs)
{
}

std::int64_t ManualClock::wallMs(TimePoint t) const { return m_wallOriginMs + toMs(t.time_since_epoch()); }

void ManualClock::schedule(TimePoint at, std::function<void()> callback)
{
    std::lock_guard lock(m_mutex);
    m_timers.emplace(at, std::move(callback));
}

void ManualClock::advanceTo(TimePoint target)
{
    for (;;) {
        std::function<void()> due;
        {
            std::lock_guard lock(m_mutex);
            auto first = m_timers.begin();
            if (first == m_timers.end() || first->first > target) {
                if (target > now())
                    m_now.store(target.time_since_epoch().count(), std::memory_order_release);
                return;
            }
            if (first->first > now())
                m_now.store(first->first.time_since_epoch().count(), std::memory_order_release);
            due = std::move(first->second);
            m_timers.erase(first);
        }
        due(); // outside the lock: a callback may schedule the next timer
    }
}



} // namespace bb
