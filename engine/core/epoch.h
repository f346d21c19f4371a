// Freeing what the hot path may still read. A breaker's rules and window are
// read through atomic pointers without a lock; an edit publishes a new object
// and retires the old one, which is freed once no reader can still hold it.
//
// Epoch-based reclamation: a reader pins the current epoch for as long as it
// holds such a pointer (two plain stores to a slot of its own thread); a
// retirement advances the epoch, and an object retired at epoch e is freed
// once no slot is pinned at e or earlier. The writer's side pays the memory
// barrier for both (membarrier(2), where the kernel has it; readers then need
// only a compiler fence).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace bb::epoch {

namespace detail {
struct alignas(64) Slot {
    std::atomic<std::uint64_t> pinned{0}; // the epoch read on pinning; 0: not pinned
    std::atomic<bool> taken{false};
    Slot *next = nullptr;
};
extern std::atomic<std::uint64_t> g_epoch;
extern bool g_readersFence; // no membarrier(2): readers pay a full fence
extern thread_local Slot *t_slot;
extern thread_local unsigned t_depth;
Slot *registerThread();
} // namespace detail

// Pins the calling thread for the guard's life. Nests.
class Guard {
public:
    Guard()
    {
        using namespace detail;
        if (t_depth++ != 0)
            return;
        Slot *slot = t_slot ? t_slot : registerThread();
        slot->pinned.store(g_epoch.load(std::memory_order_acquire), std::memory_order_relaxed);
        if (g_readersFence)
            std::atomic_thread_fence(std::memory_order_seq_cst);
        else
            std::atomic_signal_fence(std::memory_order_seq_cst);
    }
    ~Guard()
    {
        using namespace detail;
        if (--t_depth == 0)
            t_slot->pinned.store(0, std::memory_order_release);
    }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;
};

// Called after an object has been unpublished: the epoch it was retired at.
std::uint64_t retire();
// The oldest epoch a reader is pinned at now (UINT64_MAX when none is):
// what was retired before it can no longer be held.
std::uint64_t oldestPinned();

// Objects one owner retired, in order; the owner serialises its calls.
template <typename T> class RetiredList {
public:
    void add(std::unique_ptr<T> object) { m_entries.push_back({retire(), std::move(object)}); }
    // Frees the objects no reader can hold; each passes through onFree first.
    template <typename F> void reclaim(F onFree)
    {
        if (m_entries.empty())
            return;
        const std::uint64_t oldest = oldestPinned();
        std::size_t n = 0;
        while (n < m_entries.size() && m_entries[n].epoch < oldest)
            onFree(std::move(m_entries[n++].object));
        m_entries.erase(m_entries.begin(), m_entries.begin() + std::ptrdiff_t(n));
    }
    void reclaim()
    {
        reclaim([](std::unique_ptr<T>) {});
    }
    std::size_t size() const { return m_entries.size(); }
    template <typename F> void forEach(F visit) const
    {
        for (const auto &entry : m_entries)
            visit(*entry.object);
    }

private:
    struct Entry {
        std::uint64_t epoch;
        std::unique_ptr<T> object;
    };
    std::vector<Entry> m_entries;
};

} // namespace bb::epoch
