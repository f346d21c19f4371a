#include "countwindow.h"

#include <algorithm>

namespace bb {

namespace {
constexpr auto relaxed = std::memory_order_relaxed;

WindowTotals clampToCalls(WindowTotals t)
{
    // Under concurrent writers the running counts can run a call or two ahead
    // of the slots; a window never holds more failures than calls.
    t.failures = std::min(t.failures, t.calls);
    t.slow = std::min(t.slow, t.calls);
    return t;
}
} // namespace

CountWindow::CountWindow(std::uint32_t size) : SlidingWindow(size), m_slots(new Slot[size + 1]) {}

WindowTotals CountWindow::record(TimePoint, bool failed, bool slow)
{
    const std::uint64_t i = m_sequence.fetch_add(1, std::memory_order_acq_rel);
    const std::uint64_t f = failed ? m_failures.fetch_add(1, relaxed) + 1 : m_failures.load(relaxed);
    const std::uint64_t s = slow ? m_slow.fetch_add(1, relaxed) + 1 : m_slow.load(relaxed);
    Slot &mine = slot(i);
    mine.failures.store(f, std::memory_order_release);
    mine.slow.store(s, std::memory_order_release);

    WindowTotals t{std::min<std::uint64_t>(i + 1, m_size), f, s};
    if (i >= m_size) {
        const Slot &before = slot(i - m_size);
        t.failures = f - std::min(f, before.failures.load(std::memory_order_acquire));
        t.slow = s - std::min(s, before.slow.load(std::memory_order_acquire));
    }
    return clampToCalls(t);
}

WindowTotals CountWindow::runningBefore(std::uint64_t index) const
{
    if (index == 0)
        return {};
    const Slot &s = slot(index - 1);
    return {index, s.failures.load(std::memory_order_acquire), s.slow.load(std::memory_order_acquire)};
}

WindowTotals CountWindow::totals(TimePoint) const
{
    const std::uint64_t end = m_sequence.load(std::memory_order_acquire);
    const std::uint64_t first = end > m_size ? end - m_size : 0;
    if (end <= first)
        return {};
    const WindowTotals to = runningBefore(end);
    const WindowTotals from = runningBefore(first);
    return clampToCalls({end - first, to.failures - std::min(to.failures, from.failures),
                         to.slow - std::min(to.slow, from.slow)});
}

WindowContents CountWindow::contents(TimePoint now) const
{
    WindowContents c;
    c.type = WindowType::Count;
    c.size = m_size;
    const std::uint64_t end = m_sequence.load(std::memory_order_acquire);
    const std::uint64_t first = end > m_size ? end - m_size : 0;
    c.calls.reserve(end > first ? end - first : 0);
    WindowTotals previous = runningBefore(first);
    for (std::uint64_t k = first; k < end; ++k) {
        const WindowTotals current = runningBefore(k + 1);
        c.calls.push_back({current.failures > previous.failures, current.slow > previous.slow});
        previous = current;
    }
    c.totals = totals(now);
    return c;
}

void CountWindow::clear(TimePoint)
{
    for (std::uint32_t k = 0; k <= m_size; ++k) {
        m_slots[k].failures.store(0, relaxed);
        m_slots[k].slow.store(0, relaxed);
    }
    m_sequence.store(0, relaxed);
    m_failures.store(0, relaxed);
    m_slow.store(0, relaxed);
}

WindowTotals CountWindow::lifetime() const
{
    return {m_sequence.load(relaxed), m_failures.load(relaxed), m_slow.load(relaxed)};
}

void CountWindow::carryOver(const WindowContents &from, TimePoint now)
{
    if (from.type != WindowType::Count)
        return;
    const std::size_t keep = std::min<std::size_t>(from.calls.size(), m_size);
    for (std::size_t k = from.calls.size() - keep; k < from.calls.size(); ++k)
        record(now, from.calls[k].failed, from.calls[k].slow);
}

} // namespace bb
