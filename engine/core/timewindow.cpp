#include "timewindow.h"

#include <algorithm>

namespace bb {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;
constexpr std::int64_t secondOf(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
} // namespace

TimeWindow::TimeWindow(std::uint32_t seconds)
    : SlidingWindow(seconds), m_buckets(new Bucket[seconds]), m_head(kNoSecond)
{
}

void TimeWindow::fold(std::uint64_t counts, std::uint64_t slow)
{
    m_foldedCalls.fetch_add(callsOf(counts), relaxed);
    m_foldedFailures.fetch_add(failuresOf(counts), relaxed);
    m_foldedSlow.fetch_add(slow, relaxed);
}

void TimeWindow::recomputeClosed(std::int64_t head)
{
    std::uint64_t counts = 0;
    std::uint64_t slow = 0;
    for (std::int64_t s = head - m_size + 1; s < head; ++s) {
        const Bucket &b = bucket(s);
        if (b.second.load(relaxed) == s) {
            counts += b.counts.load(relaxed);
            slow += b.slow.load(relaxed);
        }
    }
    m_closedCounts.store(counts, relaxed);
    m_closedSlow.store(slow, relaxed);
}

void TimeWindow::tryRollTo(std::int64_t second)
{
    if (m_rolling.exchange(true, std::memory_order_acquire))
        return;
    const std::int64_t head = m_head.load(relaxed);
    if (second > head) {
        const std::int64_t steps = std::min<std::int64_t>(second - head, m_size);
        for (std::int64_t s = second - steps + 1; s <= second; ++s) {
            Bucket &b = bucket(s);
            fold(b.counts.exchange(0, relaxed), b.slow.exchange(0, relaxed));
            b.second.store(s, relaxed);
        }
        recomputeClosed(second);
        m_head.store(second, std::memory_order_release);
    }
    m_rolling.store(false, std::memory_order_release);
}

WindowTotals TimeWindow::record(TimePoint t, bool failed, bool slow)
{
    std::int64_t second = secondOf(t);
    std::int64_t head = m_head.load(std::memory_order_acquire);
    if (second > head) {
        tryRollTo(second);
        head = m_head.load(std::memory_order_acquire);
    }
    // A call whose second is not rolled to yet counts in the newest one that
    // is; a reading from a thread whose clock lags far behind counts as now.
    if (second > head || second <= head - std::int64_t(m_size))
        second = head;

    Bucket &b = bucket(second);
    const std::uint64_t add = kCall | (failed ? 1 : 0);
    const std::uint64_t mine = b.counts.fetch_add(add, std::memory_order_acq_rel) + add;
    const std::uint64_t mineSlow = slow ? b.slow.fetch_add(1, relaxed) + 1 : b.slow.load(relaxed);
    const std::uint64_t current = second == head ? mine : bucket(head).counts.load(relaxed);
    const std::uint64_t currentSlow = second == head ? mineSlow : bucket(head).slow.load(relaxed);
    const std::uint64_t counts = m_closedCounts.load(relaxed);
    return {callsOf(counts) + callsOf(current), failuresOf(counts) + failuresOf(current),
            m_closedSlow.load(relaxed) + currentSlow};
}

WindowTotals TimeWindow::totals(TimePoint now) const
{
    const std::int64_t second = secondOf(now);
    WindowTotals t;
    for (std::int64_t s = second - m_size + 1; s <= second; ++s) {
        const Bucket &b = bucket(s);
        if (b.second.load(std::memory_order_acquire) != s)
            continue;
        const std::uint64_t counts = b.counts.load(relaxed);
        t.calls += callsOf(counts);
        t.failures += failuresOf(counts);
        t.slow += b.slow.load(relaxed);
    }
    return t;
}

WindowContents TimeWindow::contents(TimePoint now) const
{
    WindowContents c;
    c.type = WindowType::Time;
    c.size = m_size;
    const std::int64_t second = secondOf(now);
    c.buckets.reserve(m_size);
    for (std::int64_t s = second - m_size + 1; s <= second; ++s) {
        const Bucket &b = bucket(s);
        WindowBucket out{s, 0, 0, 0};
        if (b.second.load(std::memory_order_acquire) == s) {
            const std::uint64_t counts = b.counts.load(relaxed);
            out.calls = callsOf(counts);
            out.failures = failuresOf(counts);
            out.slow = b.slow.load(relaxed);
        }
        c.totals.calls += out.calls;
        c.totals.failures += out.failures;
        c.totals.slow += out.slow;
        c.buckets.push_back(out);
    }
    return c;
}

// Empty, and rolled to the second of `now`: the window starts there.
void TimeWindow::clear(TimePoint now)
{
    const std::int64_t head = secondOf(now);
    for (std::int64_t s = head - m_size + 1; s <= head; ++s) {
        Bucket &b = bucket(s);
        b.second.store(s, relaxed);
        b.counts.store(0, relaxed);
        b.slow.store(0, relaxed);
    }
    m_head.store(head, relaxed);
    m_closedCounts.store(0, relaxed);
    m_closedSlow.store(0, relaxed);
    m_foldedCalls.store(0, relaxed);
    m_foldedFailures.store(0, relaxed);
    m_foldedSlow.store(0, relaxed);
}

WindowTotals TimeWindow::lifetime() const
{
    WindowTotals t{m_foldedCalls.load(relaxed), m_foldedFailures.load(relaxed), m_foldedSlow.load(relaxed)};
    for (std::uint32_t i = 0; i < m_size; ++i) {
        const std::uint64_t counts = m_buckets[i].counts.load(relaxed);
        t.calls += callsOf(counts);
        t.failures += failuresOf(counts);
        t.slow += m_buckets[i].slow.load(relaxed);
    }
    return t;
}

// On a fresh window, which no writer can reach yet.
void TimeWindow::carryOver(const WindowContents &from, TimePoint now)
{
    if (from.type != WindowType::Time)
        return;
    const std::int64_t head = secondOf(now);
    tryRollTo(head);
    for (const WindowBucket &fb : from.buckets) {
        if (fb.second <= head - std::int64_t(m_size) || fb.second > head)
            continue;
        Bucket &b = bucket(fb.second);
        b.counts.fetch_add((fb.calls << 32) | fb.failures, relaxed);
        b.slow.fetch_add(fb.slow, relaxed);
    }
    recomputeClosed(head);
}

} // namespace bb
