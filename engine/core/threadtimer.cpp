#include "threadtimer.h"

namespace bb {

ThreadTimer::ThreadTimer(const Clock &clock) : m_clock(clock), m_thread([this] { run(); }) {}

ThreadTimer::~ThreadTimer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void ThreadTimer::schedule(TimePoint at, std::function<void()> callback)
{
    {
        std::lock_guard lock(m_mutex);
        m_timers.emplace(at, std::move(callback));
    }
    m_wake.notify_all();
}

void ThreadTimer::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_timers.empty()) {
            m_wake.wait(lock);
            continue;
        }
        auto first = m_timers.begin();
        const Duration left = first->first - m_clock.now();
        if (left > Duration::zero()) {
            // Wait in real time; the clock is the system clock when this runs live.
            m_wake.wait_for(lock, left);
            continue;
        }
        auto due = std::move(first->second);
        m_timers.erase(first);
        lock.unlock();
        due();
        lock.lock();
    }
}

} // namespace bb
