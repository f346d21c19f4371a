#include "manualclock.h"

#include <limits>

namespace bb {

ManualClock::ManualClock(TimePoint start, std::int64_t wallOriginMs)
    : m_now(start.time_since_epoch().count()), m_wallOriginMs(wallOriginMs),
      m_nextDue(std::numeric_limits<std::int64_t>::max())
{
}

std::int64_t ManualClock::wallMs(TimePoint t) const { return m_wallOriginMs + toMs(t.time_since_epoch()); }

void ManualClock::schedule(TimePoint at, std::function<void()> callback)
{
    std::lock_guard lock(m_mutex);
    m_timers.emplace(at, std::move(callback));
    m_nextDue.store(m_timers.begin()->first.time_since_epoch().count(), std::memory_order_release);
}

void ManualClock::advanceTo(TimePoint target)
{
    const std::int64_t targetNs = target.time_since_epoch().count();
    if (targetNs < m_nextDue.load(std::memory_order_acquire)) {
        if (targetNs > m_now.load(std::memory_order_relaxed))
            m_now.store(targetNs, std::memory_order_release);
        return;
    }
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
            m_nextDue.store(m_timers.empty() ? std::numeric_limits<std::int64_t>::max()
                                             : m_timers.begin()->first.time_since_epoch().count(),
                            std::memory_order_release);
        }
        due(); // outside the lock: a callback may schedule the next timer
    }
}



} // namespace bb
