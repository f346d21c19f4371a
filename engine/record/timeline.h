// One service's course through a replay, in every configuration: failure
// and slow-call rates and the state at each step, and when it opened. What
// the what-if chart and --plot draw.
#pragma once

#include "replayset.h"

#include <optional>
#include <string>
#include <vector>

namespace bb::record {

struct TimelineSample {
    std::int64_t tNs = 0; // from the recording's start
    double failureRate = 0; // percent of the window
    double slowCallRate = 0;
    BreakerState state = BreakerState::Closed;
};

struct Timeline {
    std::string config;
    double failureThreshold = 0; // percent
    std::optional<double> slowCallThreshold;
    std::vector<TimelineSample> samples;
    std::vector<std::int64_t> opens; // times it went to OPEN
};

class TimelineRecorder {
public:
    TimelineRecorder(ReplaySet &set, std::string service);
    // Reads the service in every configuration at the set's position.
    void sample();
    void transitions(const std::vector<ReplayedTransition> &batch);
    const std::vector<Timeline> &timelines() const { return m_timelines; }
    const std::string &service() const { return m_service; }

private:
    ReplaySet &m_set;
    std::string m_service;
    std::vector<Timeline> m_timelines;
};

// Replays the recording against each configuration once more, sampling the
// service at `steps` even steps (at least one a second of recording).
std::vector<Timeline> sampleTimelines(std::shared_ptr<const Recording> recording,
                                      std::vector<NamedConfiguration> configs, const std::string &service,
                                      int steps = 2000);

// The service to show when none is named: the first to open in any
// configuration, else the one with the most failures, else the first.
std::string serviceToShow(const std::vector<ReplayedTransition> &transitions, const Recording &recording);

} // namespace bb::record
