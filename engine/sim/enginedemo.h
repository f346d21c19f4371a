// Synthetic traffic for the engine demo: every service gets a steady stream
// of calls whose failure rate follows a looping timeline, so breakers trip,
// groups open and everything recovers through half-open on its own.
#pragma once

#include "core/engine.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace bb::sim {

// From `at` (seconds into the loop) on, `service` fails this share of calls.
struct FailureStep {
    double at = 0.0;
    std::string service;
    double failureRate = 0.0; // 0..1
    std::string caption;      // printed when the step starts
};

class EngineDemo {
public:
    EngineDemo(Engine &engine, std::vector<FailureStep> timeline, double loopSeconds, std::uint64_t seed = 1);
    static std::vector<FailureStep> defaultTimeline();

    // Makes this tick's calls: callsPerService to every service. Returns the
    // captions of the steps that began since the last tick.
    std::vector<std::string> tick(int callsPerService);

private:
    double failureRateOf(const std::string &service) const;

    Engine &m_engine;
    std::vector<FailureStep> m_timeline;
    double m_loopSeconds;
    TimePoint m_start;
    double m_lastPosition = -1.0;
    std::mt19937_64 m_random;
};

} // namespace bb::sim
