// The last N seconds in one-second buckets. A call adds to its second's
// bucket with one atomic; the sum of the other seconds is kept aside and
// recomputed when the window rolls on to a new second. The first call into
// a new second rolls the window; calls that arrive while it does count in
// the newest second already rolled to, so none waits.
#pragma once

#include "slidingwindow.h"

#include <atomic>

namespace bb {

class TimeWindow final : public SlidingWindow {
public:
    explicit TimeWindow(std::uint32_t seconds);

    WindowType type() const override { return WindowType::Time; }
    WindowTotals record(TimePoint t, bool failed, bool slow) override;
    WindowTotals totals(TimePoint now) const override;
    WindowContents contents(TimePoint now) const override;
    WindowTotals lifetime() const override;
    void carryOver(const WindowContents &from, TimePoint now) override;

protected:
    void clear(TimePoint now) override;

private:
    // calls in the high 32 bits, failures in the low 32: one add updates both.
    static constexpr std::uint64_t kCall = std::uint64_t(1) << 32;
    static constexpr std::int64_t kNoSecond = INT64_MIN / 4;
    static std::uint64_t callsOf(std::uint64_t v) { return v >> 32; }
    static std::uint64_t failuresOf(std::uint64_t v) { return v & 0xffffffffu; }

    struct Bucket {
        std::atomic<std::int64_t> second{kNoSecond};
        std::atomic<std::uint64_t> counts{0};
        std::atomic<std::uint64_t> slow{0};
    };
    Bucket &bucket(std::int64_t second) const { return m_buckets[std::uint64_t(second) % m_size]; }
    // Rolls on to `second` unless another writer is rolling.
    void tryRollTo(std::int64_t second);
    void fold(std::uint64_t counts, std::uint64_t slow);
    void recomputeClosed(std::int64_t head);

    std::unique_ptr<Bucket[]> m_buckets;
    alignas(64) std::atomic<std::int64_t> m_head{0}; // the newest second rolled to
    std::atomic<std::uint64_t> m_closedCounts{0};    // seconds (head - N, head)
    std::atomic<std::uint64_t> m_closedSlow{0};
    alignas(64) std::atomic<bool> m_rolling{false};
    // Calls that have left the buckets, for lifetime totals.
    std::atomic<std::uint64_t> m_foldedCalls{0};
    std::atomic<std::uint64_t> m_foldedFailures{0};
    std::atomic<std::uint64_t> m_foldedSlow{0};
};

} // namespace bb
