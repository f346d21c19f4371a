// At most max_concurrent calls in flight per service, shared by all workers:
// a plain atomic, as Envoy keeps its resource limits.
#pragma once

#include <atomic>
#include <cstdint>

namespace bb::proxy {

class Bulkhead {
public:
    Bulkhead(std::uint32_t maxConcurrent, std::uint32_t maxQueue) : m_max(maxConcurrent), m_maxQueue(maxQueue) {}

    bool tryEnter()
    {
        if (m_max == 0)
            return true;
        std::uint32_t now = m_inFlight.load(std::memory_order_relaxed);
        while (now < m_max) {
            if (m_inFlight.compare_exchange_weak(now, now + 1, std::memory_order_acq_rel))
                return true;
        }
        return false;
    }
    void leave()
    {
        if (m_max != 0)
            m_inFlight.fetch_sub(1, std::memory_order_acq_rel);
    }
    bool tryQueue()
    {
        std::uint32_t now = m_queued.load(std::memory_order_relaxed);
        while (now < m_maxQueue) {
            if (m_queued.compare_exchange_weak(now, now + 1, std::memory_order_acq_rel))
                return true;
        }
        return false;
    }
    void unqueue() { m_queued.fetch_sub(1, std::memory_order_acq_rel); }

    std::uint32_t inFlight() const { return m_inFlight.load(std::memory_order_relaxed); }
    std::uint32_t queued() const { return m_queued.load(std::memory_order_relaxed); }
    std::uint32_t maxConcurrent() const { return m_max; }
    std::uint32_t maxQueue() const { return m_maxQueue; }

private:
    const std::uint32_t m_max;
    const std::uint32_t m_maxQueue;
    std::atomic<std::uint32_t> m_inFlight{0};
    std::atomic<std::uint32_t> m_queued{0};
};

} // namespace bb::proxy
