// The answer to "may this call go through?": a permit carries the state and
// generation that admitted the call, so its outcome is judged by them.
#pragma once

#include "breakerstate.h"

#include <cstdint>

namespace bb {

class Permit {
public:
    Permit() = default;
    static Permit rejected(RejectReason reason)
    {
        Permit p;
        p.m_reason = reason;
        return p;
    }

    // Admitted although the breaker would reject it: its enforcement lets this
    // share of calls through. Counted, never judged.
    static Permit letThrough(std::uint64_t generation, BreakerState state, RejectReason reason)
    {
        Permit p(generation, state);
        p.m_reason = reason;
        return p;
    }

    explicit operator bool() const { return m_admitted; }
    bool admitted() const { return m_admitted; }
    // Rejected: why. Let through: why it would have been rejected.
    RejectReason rejectReason() const { return m_reason; }
    bool wouldReject() const { return m_admitted && m_reason != RejectReason::NotRejected; }
    BreakerState admittedIn() const { return m_state; }
    std::uint64_t generation() const { return m_generation; }

private:
    friend class CircuitBreaker;
    Permit(std::uint64_t generation, BreakerState state) : m_generation(generation), m_state(state), m_admitted(true) {}

    std::uint64_t m_generation = 0;
    BreakerState m_state = BreakerState::Closed;
    RejectReason m_reason = RejectReason::NotRejected;
    bool m_admitted = false;
};

} // namespace bb
