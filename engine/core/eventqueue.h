// Transition events on their way from the threads that cause them to the one
// that reads them: a lock-free multi-producer stack drained in order.
#pragma once

#include "transitionevent.h"

#include <atomic>
#include <vector>

namespace bb {

class EventQueue {
public:
    EventQueue() = default;
    EventQueue(const EventQueue &) = delete;
    EventQueue &operator=(const EventQueue &) = delete;
    ~EventQueue();

    // Gives the event its sequence number and queues it.
    void push(TransitionEvent event);
    // Everything queued so far, oldest first.
    std::vector<TransitionEvent> drain();

private:
    struct Node {
        TransitionEvent event;
        Node *next = nullptr;
    };
    std::atomic<Node *> m_head{nullptr};
    std::atomic<std::uint64_t> m_sequence{0};
};

} // namespace bb
