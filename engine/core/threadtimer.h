// The live timer source: one thread that sleeps until the earliest timer is
// due on the given clock, then runs it.
#pragma once

#include "clock.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace bb {

class ThreadTimer final : public TimerSource {
public:
    explicit ThreadTimer(const Clock &clock);
    ~ThreadTimer() override;
    void schedule(TimePoint at, std::function<void()> callback) override;

private:
    void run();

    const Clock &m_clock;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::multimap<TimePoint, std::function<void()>> m_timers;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace bb
