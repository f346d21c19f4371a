// The course of every recorded service through a replay, in every
// configuration: failure rate and state at each sample, and when it opened.
// Recorded during the replay itself; what the what-if chart and --plot draw.
#pragma once

#include "replayset.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bb::record {

struct TimelineSample {
    std::int64_t tNs = 0;   // from the recording's start
    double failureRate = 0; // percent of the window
    BreakerState state = BreakerState::Closed;
};

struct Timeline {
    std::string config;
    double failureThreshold = 0; // percent
    std::vector<TimelineSample> samples;
    std::vector<std::int64_t> opens; // times it went to OPEN
};

class TimelineRecorder {
public:
    // Samples at most every `step` of recording time are enough to draw:
    // at least `samples` of them, at least one a second.
    static std::int64_t stepFor(std::int64_t endNs, int samples = 2000);

    explicit TimelineRecorder(ReplaySet &set);
    // Reads every service in every configuration at the set's position.
    void sample();
    void transitions(const std::vector<ReplayedTransition> &batch);
    // The service in each configuration (configurations that lack it: no samples).
    std::vector<Timeline> timelines(const std::string &service) const;

private:
    ReplaySet &m_set;
    std::vector<std::string> m_services;            // the recording's, in its order
    std::vector<std::vector<Timeline>> m_lines;     // [service][configuration]
    std::vector<std::vector<CircuitBreaker *>> m_breakers; // [configuration][service], null: not configured
};

// The recording through every configuration at full speed, sampled for the
// what-if chart: the dashboard's what-if view.
struct WhatIf {
    std::vector<std::string> configs;
    std::vector<ReplayedTransition> transitions; // sortTransitions' order
    std::map<std::string, std::vector<Timeline>> courses; // by service: one per configuration
    std::string shown; // serviceToShow
};
// progress: the fraction of the recording played, now and then.
WhatIf playWhatIf(std::shared_ptr<const Recording> recording, std::vector<NamedConfiguration> configs,
                  const std::function<void(double)> &progress = {});

// The service to show when none is named: the first to open in any
// configuration, else the one with the most failures, else the first.
std::string serviceToShow(const std::vector<ReplayedTransition> &transitions, const Recording &recording);

} // namespace bb::record
