// What `breakerboard replay` prints: every transition of every
// configuration (text or JSON Lines), a summary per configuration, and in
// text, where the configurations' trip points differ, side by side.
#pragma once

#include "replayrun.h"

#include <string>
#include <vector>

namespace bb::record {

struct ReplayedTransition {
    std::size_t config = 0; // index into the configuration names
    TransitionEvent event;
    std::int64_t tNs() const { return event.at.time_since_epoch().count(); }
};

// By time, then configuration, then the engine's order: the same for any
// speed and any number of threads.
void sortTransitions(std::vector<ReplayedTransition> &transitions);

// "1:02.500" (m:ss.mmm) or "1:02:03.500" past an hour.
std::string formatOffset(std::int64_t ns);

// Transitions as ReplayRun gives them: `at` counts from the recording's start.
// {"config": NAME, "t": MS, "breaker": NAME, "from": STATE, "to": STATE, "cause": TEXT}
// (and "group": true for a group).
std::string jsonTransition(const std::string &config, const TransitionEvent &event);
// "  0:42.130  bank-api  closed → open  failure rate …"; the configuration's
// name leads when there are several (configWidth > 0).
std::string textTransition(const std::string &config, std::size_t configWidth, const TransitionEvent &event);

std::string jsonSummary(const std::string &config, const ReplaySummary &summary);
std::vector<std::string> textSummary(const std::string &config, const ReplaySummary &summary);

// One row per subject and n-th opening, one column per configuration; rows
// where the configurations disagree are marked.
std::vector<std::string> tripComparison(const std::vector<std::string> &configs,
                                        const std::vector<ReplayedTransition> &transitions);

} // namespace bb::record
