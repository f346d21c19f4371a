#include "eventqueue.h"

#include <algorithm>
#include <utility>

namespace bb {

EventQueue::~EventQueue() { drain(); }

void EventQueue::push(TransitionEvent event)
{
    auto *node = new Node{std::move(event), nullptr};
    node->event.sequence = m_sequence.fetch_add(1, std::memory_order_relaxed) + 1;
    node->next = m_head.load(std::memory_order_relaxed);
    while (!m_head.compare_exchange_weak(node->next, node, std::memory_order_release, std::memory_order_relaxed)) {
    }
}

std::vector<TransitionEvent> EventQueue::drain()
{
    Node *node = m_head.exchange(nullptr, std::memory_order_acquire);
    std::vector<TransitionEvent> events;
    while (node) {
        events.push_back(std::move(node->event));
        delete std::exchange(node, node->next);
    }
    // Sequence numbers are taken before the push, so two producers can land
    // in either order; sorting restores the order the transitions happened in.
    std::sort(events.begin(), events.end(),
              [](const TransitionEvent &a, const TransitionEvent &b) { return a.sequence < b.sequence; });
    return events;
}

} // namespace bb
