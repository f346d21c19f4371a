// How each request to a service ended. Every request ends with exactly one
// outcome; fallbacks are also counted by strategy.
#pragma once

#include "config/serviceconfig.h"

#include <array>
#include <atomic>
#include <mutex>
#include <string>
#include <cstdint>
#include <string_view>

namespace bb::proxy {

enum class RequestOutcome : std::uint8_t {
    Success,
    Failure,
    Timeout,
    Ignored,
    RejectedBreaker,
    RejectedGroup,
    RejectedBulkhead,
    Fallback,
    ClientTimeout, // the client stalled its body or took none of its answer: not the service's doing
};
inline constexpr int kRequestOutcomeCount = 9;
std::string_view nameOf(RequestOutcome o);

// Request durations in fixed buckets (upper bounds in milliseconds), for
// the Prometheus histogram: plain atomics, one add per request.
inline constexpr std::array<double, 14> kDurationBucketsMs = {1,   2.5, 5,    10,   25,   50,    100,
                                                                250, 500, 1000, 2500, 5000, 10000, 30000};

// The last call to the service that failed, in words ("upstream refused the
// connection: ...", "TLS: ..."), with its wall-clock time: what the
// dashboard and the admin API show beside the counts. Written only when a
// call fails, so a lock is no cost to calls that succeed.
struct FailureNote {
    std::string text;
    std::int64_t wallMs = 0;
    bool operator==(const FailureNote &) const = default;
};

class LastFailure {
public:
    void note(std::string text, std::int64_t wallMs)
    {
        const std::lock_guard lock(m_mutex);
        m_note = {std::move(text), wallMs};
    }
    FailureNote get() const
    {
        const std::lock_guard lock(m_mutex);
        return m_note;
    }

private:
    mutable std::mutex m_mutex;
    FailureNote m_note; // wallMs 0: none yet
};

struct ServiceCounters {
    std::array<std::atomic<std::uint64_t>, kRequestOutcomeCount> outcomes{};
    std::array<std::atomic<std::uint64_t>, kFallbackStrategyCount> fallbacks{}; // by FallbackStrategy
    std::atomic<std::uint64_t> retries{0};
    std::array<std::atomic<std::uint64_t>, kDurationBucketsMs.size() + 1> durationBuckets{}; // last: +Inf
    std::atomic<std::uint64_t> durationSumMicros{0};
    LastFailure lastFailure;

    void observeDuration(double ms);

    void count(RequestOutcome o) { outcomes[std::size_t(o)].fetch_add(1, std::memory_order_relaxed); }
    void countFallback(FallbackStrategy s) { fallbacks[std::size_t(s)].fetch_add(1, std::memory_order_relaxed); }
    std::uint64_t outcome(RequestOutcome o) const { return outcomes[std::size_t(o)].load(std::memory_order_relaxed); }
    std::uint64_t fallback(FallbackStrategy s) const { return fallbacks[std::size_t(s)].load(std::memory_order_relaxed); }
    std::uint64_t total() const;
};

// Requests that never reached a service: no route, refused targets, bad input.
struct ProxyCounters {
    std::atomic<std::uint64_t> unrouted{0};
    std::atomic<std::uint64_t> refused{0};
    std::atomic<std::uint64_t> badRequests{0};
    std::atomic<std::uint64_t> connections{0}; // open now
    std::atomic<std::uint64_t> connectionsRefused{0};
};

} // namespace bb::proxy
