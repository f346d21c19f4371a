#include "enginedemo.h"

#include <cmath>

namespace bb::sim {

EngineDemo::EngineDemo(Engine &engine, std::vector<FailureStep> timeline, double loopSeconds, std::uint64_t seed)
    : m_engine(engine)
    , m_timeline(std::move(timeline))
    , m_loopSeconds(loopSeconds)
    , m_start(engine.clock().now())
    , m_random(seed)
{
}

std::vector<FailureStep> EngineDemo::defaultTimeline()
{
    return {
        {5, "payment-service", 0.8, "payment-service starts failing 80% of calls"},
        {8, "fraud-detection", 0.7, "fraud-detection starts failing 70% of calls"},
        {30, "payment-service", 0.0, "payment-service is healthy again"},
        {30, "fraud-detection", 0.0, "fraud-detection is healthy again"},
        {80, "user-service", 0.9, "user-service starts failing 90% of calls"},
        {95, "user-service", 0.0, "user-service is healthy again"},
    };
}

double EngineDemo::failureRateOf(const std::string &service) const
{
    const double position = std::fmod(toMsF(m_engine.clock().now() - m_start) / 1000.0, m_loopSeconds);
    double rate = 0.0;
    for (const auto &step : m_timeline) {
        if (step.service == service && step.at <= position)
            rate = step.failureRate;
    }
    return rate;
}

std::vector<std::string> EngineDemo::tick(int callsPerService)
{
    const double position = std::fmod(toMsF(m_engine.clock().now() - m_start) / 1000.0, m_loopSeconds);
    std::vector<std::string> captions;
    for (const auto &step : m_timeline) {
        const bool passed = m_lastPosition <= position ? (step.at > m_lastPosition && step.at <= position)
                                                       : (step.at > m_lastPosition || step.at <= position);
        if (passed)
            captions.push_back(step.caption);
    }
    m_lastPosition = position;

    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<int> latencyMs(15, 120);
    for (const auto &breaker : m_engine.breakers()) {
        const double failing = failureRateOf(breaker->name());
        for (int i = 0; i < callsPerService; ++i) {
            const Permit p = breaker->tryAcquire();
            if (!p)
                continue;
            const Outcome o = unit(m_random) < failing ? Outcome::Failure : Outcome::Success;
            breaker->record(p, o, std::chrono::milliseconds(latencyMs(m_random)));
        }
    }
    return captions;
}

} // namespace bb::sim
