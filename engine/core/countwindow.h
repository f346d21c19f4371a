// The last N calls. Each slot keeps the running failure and slow counts as of
// its call, so a window's totals are two subtractions and a success costs one
// atomic increment.
#pragma once

#include "slidingwindow.h"

#include <atomic>

namespace bb {

class CountWindow final : public SlidingWindow {
public:
    explicit CountWindow(std::uint32_t size);

    WindowType type() const override { return WindowType::Count; }
    WindowTotals record(TimePoint t, bool failed, bool slow) override;
    WindowTotals totals(TimePoint now) const override;
    WindowContents contents(TimePoint now) const override;
    WindowTotals lifetime() const override;
    void carryOver(const WindowContents &from, TimePoint now) override;

protected:
    void clear(TimePoint now) override;

private:
    struct Slot {
        std::atomic<std::uint64_t> failures{0}; // running count after this call
        std::atomic<std::uint64_t> slow{0};
    };
    Slot &slot(std::uint64_t index) const { return m_slots[index % (m_size + 1)]; }
    // Running counts as of call `index` (exclusive upper end: calls before it).
    WindowTotals runningBefore(std::uint64_t index) const;

    // N + 1 slots: a reader still finds the count just before the window's
    // oldest call after the newest call has been written.
    std::unique_ptr<Slot[]> m_slots;
    alignas(64) std::atomic<std::uint64_t> m_sequence{0};
    std::atomic<std::uint64_t> m_failures{0};
    std::atomic<std::uint64_t> m_slow{0};
};

} // namespace bb
