// The sliding windows a CLOSED breaker judges by: the last N calls, or the
// last N seconds in one-second buckets. Writers record without locks; readers
// take totals or a copy of the contents at any time.
#pragma once

#include "breakerpolicy.h"
#include "clock.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace bb {

struct WindowTotals {
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t slow = 0;
    bool operator==(const WindowTotals &) const = default;
    WindowTotals &operator+=(const WindowTotals &o)
    {
        calls += o.calls, failures += o.failures, slow += o.slow;
        return *this;
    }
    WindowTotals operator-(const WindowTotals &o) const { return {calls - o.calls, failures - o.failures, slow - o.slow}; }
};

// Rate in percent, 0 for an empty window.
inline double ratePercent(std::uint64_t part, std::uint64_t whole)
{
    return whole == 0 ? 0.0 : 100.0 * double(part) / double(whole);
}

// One second of a time window.
struct WindowBucket {
    std::int64_t second = 0; // engine time in whole seconds
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t slow = 0;
    bool operator==(const WindowBucket &) const = default;
};

// One call of a count window.
struct WindowCall {
    bool failed = false;
    bool slow = false;
    bool operator==(const WindowCall &) const = default;
};

// What a window held at one moment, oldest first: the "why" behind a trip.
struct WindowContents {
    WindowType type = WindowType::Time;
    std::uint32_t size = 0;
    WindowTotals totals;
    std::vector<WindowBucket> buckets; // time windows
    std::vector<WindowCall> calls;     // count windows
};

// A window judges the calls of one stretch of a breaker's life: from the
// generation it was published in (since()) until a close, a reset or a change
// of shape replaces it. Calls admitted before since() belong to a discarded
// window and are never recorded here.
class SlidingWindow {
public:
    static std::unique_ptr<SlidingWindow> create(WindowType type, std::uint32_t size);
    virtual ~SlidingWindow() = default;

    virtual WindowType type() const = 0;
    std::uint32_t size() const { return m_size; }
    bool hasShape(WindowType type, std::uint32_t size) const { return type == this->type() && size == m_size; }
    // Time windows need the time of each call; count windows do not.
    bool usesTime() const { return type() == WindowType::Time; }
    // Records one call at time t and returns the window's totals right after it.
    virtual WindowTotals record(TimePoint t, bool failed, bool slow) = 0;
    virtual WindowTotals totals(TimePoint now) const = 0;
    virtual WindowContents contents(TimePoint now) const = 0;
    // Every call ever recorded, including those that have left the window.
    virtual WindowTotals lifetime() const = 0;
    // Fills a fresh window with what still fits of another's contents.
    virtual void carryOver(const WindowContents &from, TimePoint now) = 0;

    // Failures in a row, judged with the window: a reset starts them anew.
    std::uint64_t countFailure() { return m_consecutiveFailures.fetch_add(1, std::memory_order_relaxed) + 1; }
    void countSuccess()
    {
        if (m_consecutiveFailures.load(std::memory_order_relaxed) != 0)
            m_consecutiveFailures.store(0, std::memory_order_relaxed);
    }
    std::uint64_t consecutiveFailures() const { return m_consecutiveFailures.load(std::memory_order_relaxed); }
    void setConsecutiveFailures(std::uint64_t n) { m_consecutiveFailures.store(n, std::memory_order_relaxed); }

    std::uint64_t since() const { return m_since; }
    // Makes the window as new, starting at `now`, for the generation it will
    // be published in. Only for a window no writer can reach: a fresh one or
    // a reclaimed one.
    void renew(std::uint64_t since, TimePoint now)
    {
        clear(now);
        m_since = since;
        m_consecutiveFailures.store(0, std::memory_order_relaxed);
    }

protected:
    explicit SlidingWindow(std::uint32_t size) : m_size(size) {}
    virtual void clear(TimePoint now) = 0;
    const std::uint32_t m_size;

private:
    std::uint64_t m_since = 0;
    alignas(64) std::atomic<std::uint64_t> m_consecutiveFailures{0};
};

} // namespace bb
