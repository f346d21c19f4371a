// Training scenarios: a timeline of steps that change the simulated services
// (failure rate, latency, outage, slow drip) and the traffic sent to them,
// each with a caption for the audience. Read from YAML files
// (resources/scenarios/), checked with file:line:column messages, and played
// on a clock the trainer can pause, slow down and restart.
#pragma once

#include "config/configloader.h"

#include <optional>
#include <string>
#include <vector>

namespace bb::sim {

struct ScenarioStep {
    double at = 0.0;     // seconds from the start
    std::string service; // empty: a caption only
    std::optional<double> failureRate;
    std::optional<Duration> latency;
    std::optional<double> latencySpread;
    std::optional<bool> outage;
    std::optional<bool> slowDrip;
    std::optional<double> rate; // requests per second sent to the service
    std::string caption;
};

struct Scenario {
    std::string name;
    std::string description;
    double duration = 0.0; // seconds; at the end it starts again when loop is set
    bool loop = true;
    std::vector<ScenarioStep> steps; // in time order
};

struct ScenarioResult {
    std::optional<Scenario> scenario; // set when there are no errors
    std::vector<ConfigIssue> issues;
};

// services: the names a step may use (empty: any).
ScenarioResult parseScenario(const std::string &yamlText, const std::string &fileName,
                             const std::vector<std::string> &services);
ScenarioResult loadScenario(const std::string &path, const std::vector<std::string> &services);

class ScenarioPlayer {
public:
    explicit ScenarioPlayer(Scenario scenario);

    // Moves the scenario's clock on by `seconds` (the trainer's speed already
    // applied) and returns the steps that fell due, in order. A looping
    // scenario starts again at its end.
    std::vector<ScenarioStep> advance(double seconds);
    void restart();

    double position() const { return m_position; }
    bool finished() const { return !m_scenario.loop && m_position >= m_scenario.duration; }
    const Scenario &scenario() const { return m_scenario; }
    // The caption of the latest step that had one.
    const std::string &caption() const { return m_caption; }

private:
    Scenario m_scenario;
    double m_position = 0.0;
    std::size_t m_next = 0;
    std::string m_caption;
};

} // namespace bb::sim
