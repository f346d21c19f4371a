#include "breakerpolicy.h"

#include <cmath>
#include <sstream>

namespace bb {

namespace {
std::uint64_t toPpm(double percent) { return std::uint64_t(std::llround(percent * 10'000.0)); }

bool isPercent(double v) { return std::isfinite(v) && v > 0.0 && v <= 100.0; }

std::string num(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}
} // namespace

std::vector<PolicyError> validate(const BreakerPolicy &p)
{
    std::vector<PolicyError> errors;
    auto fail = [&errors](std::string field, std::string message) {
        errors.push_back({std::move(field), std::move(message)});
    };

    const bool count = p.windowType == WindowType::Count;
    const std::uint32_t maxWindow = count ? kMaxCountWindow : kMaxTimeWindowSeconds;
    if (p.windowSize < 1 || p.windowSize > maxWindow)
        fail("window.size", "must be between 1 and " + std::to_string(maxWindow) +
                                (count ? " calls" : " seconds") + ", got " + std::to_string(p.windowSize));
    if (p.minimumCalls < 1)
        fail("minimum_calls", "must be at least 1, got 0");
    else if (count && p.minimumCalls > p.windowSize)
        fail("minimum_calls", "must not exceed the count window's " + std::to_string(p.windowSize) +
                                  " calls, got " + std::to_string(p.minimumCalls));
    if (!isPercent(p.failureRateThreshold))
        fail("failure_rate_threshold", "must be a rate above 0% and at most 100%, got " +
                                           num(p.failureRateThreshold) + "%");
    if (p.slowCallRateThreshold && !isPercent(*p.slowCallRateThreshold))
        fail("slow_call.rate_threshold", "must be a rate above 0% and at most 100%, got " +
                                             num(*p.slowCallRateThreshold) + "%");
    if (p.slowCallDuration <= Duration::zero())
        fail("slow_call.duration", "must be positive, got " + std::to_string(toMs(p.slowCallDuration)) + " ms");
    if (p.consecutiveFailures > 1'000'000)
        fail("consecutive_failures", "must be at most 1000000 (0 turns the rule off), got " +
                                         std::to_string(p.consecutiveFailures));
    if (p.waitDuration < ms(1) || p.waitDuration > std::chrono::hours(24))
        fail("wait_duration", "must be between 1 ms and 24 h, got " + std::to_string(toMs(p.waitDuration)) + " ms");
    if (!std::isfinite(p.backoffMultiplier) || p.backoffMultiplier < 1.0 || p.backoffMultiplier > 100.0)
        fail("backoff.multiplier", "must be between 1 and 100, got " + num(p.backoffMultiplier));
    if (p.maxWait && (*p.maxWait < p.waitDuration || *p.maxWait > std::chrono::hours(24)))
        fail("backoff.max_wait", "must be at least wait_duration (" + std::to_string(toMs(p.waitDuration)) +
                                     " ms) and at most 24 h, got " + std::to_string(toMs(*p.maxWait)) + " ms");
    if (!std::isfinite(p.jitter) || p.jitter < 0.0 || p.jitter >= 1.0)
        fail("backoff.jitter", "must be a fraction in [0, 1), got " + num(p.jitter));
    if (p.halfOpenPermittedCalls < 1 || p.halfOpenPermittedCalls > kMaxHalfOpenPermits)
        fail("half_open.permitted_calls", "must be between 1 and " + std::to_string(kMaxHalfOpenPermits) +
                                              ", got " + std::to_string(p.halfOpenPermittedCalls));
    if (p.halfOpenSuccessThreshold < 1 || p.halfOpenSuccessThreshold > p.halfOpenPermittedCalls)
        fail("half_open.success_threshold", "must be between 1 and half_open.permitted_calls (" +
                                                std::to_string(p.halfOpenPermittedCalls) + "), got " +
                                                std::to_string(p.halfOpenSuccessThreshold));
    if (!std::isfinite(p.enforcement) || p.enforcement < 0.0 || p.enforcement > 100.0)
        fail("enforcement", "must be a percentage from 0 (monitor only) to 100 (enforce every rejection), got " +
                                num(p.enforcement));
    return errors;
}

std::string enforcementText(double percent)
{
    if (percent >= 100.0)
        return {};
    return percent <= 0.0 ? "monitor only" : num(percent) + "% enforced";
}

CompiledRules::CompiledRules(const BreakerPolicy &p)
    : policy(p)
    , minimumCalls(p.minimumCalls)
    , failurePpm(toPpm(p.failureRateThreshold))
    , slowPpm(p.slowCallRateThreshold ? toPpm(*p.slowCallRateThreshold) : 0)
    , slowNs(p.slowCallDuration.count())
    , consecutiveFailures(p.consecutiveFailures)
    , enforcementPpm(toPpm(p.enforcement))
{
}

Duration backoffWait(const BreakerPolicy &p, std::uint32_t k)
{
    const double base = double(p.waitDuration.count());
    const double factor = std::pow(p.backoffMultiplier, double(k > 0 ? k - 1 : 0));
    double wait = base * factor;
    if (p.maxWait)
        wait = std::min(wait, double(p.maxWait->count()));
    wait = std::min(wait, double(std::chrono::nanoseconds(std::chrono::hours(24)).count()));
    return Duration(std::int64_t(std::llround(wait)));
}

Duration jittered(Duration wait, double jitter, double unit)
{
    if (jitter <= 0.0)
        return wait;
    const double f = 1.0 + jitter * (2.0 * unit - 1.0);
    return Duration(std::int64_t(std::llround(double(wait.count()) * f)));
}

} // namespace bb
