// What a breaker is told to do: windows, rules, waits and half-open trials.
// validate() names every bad field; CompiledRules is the hot path's view.
#pragma once

#include "clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bb {

enum class WindowType : std::uint8_t { Count, Time };

struct BreakerPolicy {
    WindowType windowType = WindowType::Time;
    std::uint32_t windowSize = 10; // calls (count window) or seconds (time window)
    std::uint32_t minimumCalls = 10;
    double failureRateThreshold = 50.0;               // percent, (0, 100]
    std::optional<double> slowCallRateThreshold;      // percent; unset: no slow-call rule
    Duration slowCallDuration = std::chrono::seconds(5); // slower than this is slow
    std::uint32_t consecutiveFailures = 0;            // 0: rule off
    Duration waitDuration = std::chrono::seconds(30);
    double backoffMultiplier = 1.0;                   // 1: no backoff
    std::optional<Duration> maxWait;                  // cap for backoff
    double jitter = 0.0;                              // fraction of the wait, [0, 1)
    std::uint32_t halfOpenPermittedCalls = 3;
    std::uint32_t halfOpenSuccessThreshold = 3;
    // Percent of the calls it would reject that the breaker rejects, [0, 100];
    // 0 is monitor-only. States and transitions do not depend on it.
    double enforcement = 100.0;

    bool operator==(const BreakerPolicy &) const = default;
    // Same window type and size: an edit can keep the window object as it is.
    bool sameWindowShape(const BreakerPolicy &o) const
    {
        return windowType == o.windowType && windowSize == o.windowSize;
    }
};

// A field that failed validation, named as in the configuration file.
struct PolicyError {
    std::string field;
    std::string message;
    bool operator==(const PolicyError &) const = default;
};

std::vector<PolicyError> validate(const BreakerPolicy &policy);

inline constexpr std::uint32_t kMaxCountWindow = 100'000;
inline constexpr std::uint32_t kMaxTimeWindowSeconds = 3600;
inline constexpr std::uint32_t kMaxHalfOpenPermits = 65535;

// The policy as the hot path reads it: thresholds in parts per million so the
// comparison at a boundary is exact integer arithmetic.
struct CompiledRules {
    BreakerPolicy policy;
    std::uint64_t minimumCalls = 0;
    std::uint64_t failurePpm = 0;
    std::uint64_t slowPpm = 0; // 0: no slow-call rule
    std::int64_t slowNs = 0;
    std::uint32_t consecutiveFailures = 0;
    std::uint64_t enforcementPpm = 0;

    explicit CompiledRules(const BreakerPolicy &p);
    bool slowRuleSet() const { return slowPpm != 0; }
    bool isSlow(Duration latency) const { return latency.count() > slowNs; }
};

// Of the calls a breaker would reject, numbered from 0 within one state, is
// call n rejected at this share (parts per million)? Spread evenly: at 50%
// every second one, at 25% every fourth; the same order gives the same answers.
inline bool enforcedAt(std::uint64_t n, std::uint64_t enforcementPpm)
{
    return (n + 1) * enforcementPpm / 1'000'000 != n * enforcementPpm / 1'000'000;
}

// "monitor only" at 0, "25% enforced" below 100, empty at 100.
std::string enforcementText(double percent);

// Wait in OPEN for the k-th open since the breaker was last CLOSED (k >= 1),
// before jitter: min(wait * multiplier^(k-1), max_wait).
Duration backoffWait(const BreakerPolicy &p, std::uint32_t k);
// Applies jitter: unit in [0, 1) picks a point in [wait*(1-j), wait*(1+j)).
Duration jittered(Duration wait, double jitter, double unit);

} // namespace bb
