#include "epoch.h"

#include <limits>

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace bb::epoch {

namespace {

long membarrier(int command) { return syscall(__NR_membarrier, command, 0, 0); }

// Expedited private barriers interrupt only this process's running threads.
bool registerBarrier() { return membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0; }

// Makes every reader's pin visible, or its later loads see what was
// unpublished before: the other half of the readers' compiler fence.
void barrier()
{
    if (detail::g_readersFence || membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
        std::atomic_thread_fence(std::memory_order_seq_cst);
}

std::atomic<detail::Slot *> g_slots{nullptr};

// Gives the thread's slot back when the thread ends.
struct SlotOwner {
    ~SlotOwner()
    {
        if (detail::t_slot) {
            detail::t_slot->pinned.store(0, std::memory_order_release);
            detail::t_slot->taken.store(false, std::memory_order_release);
        }
    }
};

} // namespace

namespace detail {

// Epochs start at 1: a pinned slot never reads 0.
std::atomic<std::uint64_t> g_epoch{1};
bool g_readersFence = !registerBarrier();
thread_local Slot *t_slot = nullptr;
thread_local unsigned t_depth = 0;

Slot *registerThread()
{
    thread_local SlotOwner owner;
    for (Slot *s = g_slots.load(std::memory_order_acquire); s; s = s->next) {
        bool free = false;
        if (!s->taken.load(std::memory_order_relaxed) && s->taken.compare_exchange_strong(free, true)) {
            t_slot = s;
            return s;
        }
    }
    // Slots are never freed: there are as many as threads ever ran at once.
    auto *s = new Slot;
    s->taken.store(true, std::memory_order_relaxed);
    Slot *head = g_slots.load(std::memory_order_relaxed);
    do {
        s->next = head;
    } while (!g_slots.compare_exchange_weak(head, s, std::memory_order_release, std::memory_order_relaxed));
    t_slot = s;
    return s;
}

} // namespace detail

std::uint64_t retire() { return detail::g_epoch.fetch_add(1, std::memory_order_seq_cst); }

std::uint64_t oldestPinned()
{
    barrier();
    std::uint64_t oldest = std::numeric_limits<std::uint64_t>::max();
    for (detail::Slot *s = g_slots.load(std::memory_order_acquire); s; s = s->next) {
        const std::uint64_t pinned = s->pinned.load(std::memory_order_acquire);
        if (pinned != 0 && pinned < oldest)
            oldest = pinned;
    }
    return oldest;
}

} // namespace bb::epoch
