// The sliding windows a CLOSED breaker judges by: the last N calls, or the
// last N seconds in one-second buckets. Writers record without locks; readers
// take totals or a copy of the contents at any time.
#pragma once

#include "breakerpolicy.h"
#include "clock.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace bb {

struct WindowTotals {
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t slow = 0;
    bool operator==(const WindowTotals &) const = default;
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

class SlidingWindow {
public:
    static std::unique_ptr<SlidingWindow> create(WindowType type, std::uint32_t size);
    virtual ~SlidingWindow() = default;

    virtual WindowType type() const = 0;
    std::uint32_t size() const { return m_size; }
    // Time windows need the time of each call; count windows do not.
    bool usesTime() const { return type() == WindowType::Time; }
    // Records one call at time t and returns the window's totals right after it.
    virtual WindowTotals record(TimePoint t, bool failed, bool slow) = 0;
    virtual WindowTotals totals(TimePoint now) const = 0;
    virtual WindowContents contents(TimePoint now) const = 0;
    // Empties the window. Not for concurrent use with another clear() or
    // carryOver(); the breaker calls both under its transition lock.
    virtual void clear() = 0;
    // Every call ever recorded, including those that have left the window.
    virtual WindowTotals lifetime() const = 0;
    // Fills a fresh window with what still fits of another's contents.
    virtual void carryOver(const WindowContents &from, TimePoint now) = 0;

protected:
    explicit SlidingWindow(std::uint32_t size) : m_size(size) {}
    const std::uint32_t m_size;
};

} // namespace bb
