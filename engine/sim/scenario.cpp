#include "scenario.h"

#include "config/yamlchecks.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace bb::sim {

namespace {
ScenarioStep readStep(YamlChecks &r, const YAML::Node &n, const std::vector<std::string> &services)
{
    ScenarioStep s;
    if (!n.IsMap()) {
        r.error(n, "a step must be a mapping such as {at: 10, service: NAME, failure_rate: 0.5}");
        return s;
    }
    r.checkKeys(n, {"at", "service", "failure_rate", "latency", "latency_spread", "outage", "slow_drip", "rate", "caption"},
                "a step");
    if (!n["at"])
        r.error(n, "a step needs 'at' (seconds from the start)");
    else if (auto v = r.number(n["at"], "at", 0, 24 * 3600))
        s.at = *v;
    if (n["service"]) {
        s.service = r.text(n["service"], "service").value_or("");
        if (!s.service.empty() && !services.empty() &&
            std::find(services.begin(), services.end(), s.service) == services.end())
            r.error(n["service"], "unknown service '" + s.service + "'");
    }
    if (n["failure_rate"])
        s.failureRate = r.number(n["failure_rate"], "failure_rate", 0, 1);
    if (n["latency"])
        if (auto v = r.number(n["latency"], "latency (milliseconds)", 0, 60'000))
            s.latency = std::chrono::microseconds(std::int64_t(*v * 1000));
    if (n["latency_spread"])
        s.latencySpread = r.number(n["latency_spread"], "latency_spread", 0, 3);
    if (n["outage"])
        s.outage = r.boolean(n["outage"], "outage");
    if (n["slow_drip"])
        s.slowDrip = r.boolean(n["slow_drip"], "slow_drip");
    if (n["rate"])
        s.rate = r.number(n["rate"], "rate (requests per second)", 0, 10'000);
    if (n["caption"])
        s.caption = r.text(n["caption"], "caption").value_or("");
    const bool changes = s.failureRate || s.latency || s.latencySpread || s.outage || s.slowDrip || s.rate;
    if (changes && s.service.empty() && !n["service"])
        r.error(n, "a step that changes something needs 'service'");
    if (!changes && s.caption.empty())
        r.error(n, "a step must change something or have a caption");
    return s;
}
} // namespace

ScenarioResult parseScenario(const std::string &yamlText, const std::string &fileName,
                             const std::vector<std::string> &services)
{
    ScenarioResult result;
    const auto parsed = parseYaml(yamlText, fileName, result.issues);
    if (!parsed)
        return result;
    const YAML::Node &root = *parsed;
    YamlChecks r(fileName, result.issues);
    Scenario scenario;
    const YAML::Node top = root["scenario"];
    if (!root.IsMap() || !top || !top.IsMap()) {
        r.error(root, "a scenario file is a mapping with one key, 'scenario'");
        return result;
    }
    r.checkKeys(root, {"scenario"}, "the top level");
    r.checkKeys(top, {"name", "description", "duration", "loop", "steps"}, "scenario");
    scenario.name = top["name"] ? r.text(top["name"], "name").value_or("") : "";
    if (scenario.name.empty())
        r.error(top, "a scenario needs a name");
    if (top["description"])
        scenario.description = r.text(top["description"], "description").value_or("");
    if (!top["duration"])
        r.error(top, "a scenario needs 'duration' (seconds)");
    else if (auto v = r.number(top["duration"], "duration", 1, 24 * 3600))
        scenario.duration = *v;
    if (top["loop"])
        scenario.loop = r.boolean(top["loop"], "loop").value_or(true);
    const YAML::Node steps = top["steps"];
    if (!steps || !steps.IsSequence() || steps.size() == 0) {
        r.error(steps ? steps : top, "a scenario needs 'steps', a list");
        return result;
    }
    double previous = 0.0;
    for (const auto &n : steps) {
        ScenarioStep s = readStep(r, n, services);
        if (s.at < previous)
            r.error(n["at"] ? n["at"] : n, "steps must be in time order: this one comes before the one above it");
        if (scenario.duration > 0 && s.at >= scenario.duration)
            r.error(n["at"] ? n["at"] : n, "a step at or after the scenario's duration never runs");
        previous = std::max(previous, s.at);
        scenario.steps.push_back(std::move(s));
    }
    if (result.issues.empty())
        result.scenario = std::move(scenario);
    return result;
}

ScenarioResult loadScenario(const std::string &path, const std::vector<std::string> &services)
{
    const auto text = readTextFile(path);
    if (!text) {
        ScenarioResult result;
        result.issues.push_back({path, 1, 1, "cannot read the file", false});
        return result;
    }
    return parseScenario(*text, path, services);
}

ScenarioPlayer::ScenarioPlayer(Scenario scenario) : m_scenario(std::move(scenario)) {}

void ScenarioPlayer::restart()
{
    m_position = 0.0;
    m_next = 0;
    m_caption.clear();
}

std::vector<ScenarioStep> ScenarioPlayer::advance(double seconds)
{
    std::vector<ScenarioStep> due;
    double target = m_position + std::max(0.0, seconds);
    for (;;) {
        while (m_next < m_scenario.steps.size() && m_scenario.steps[m_next].at <= target) {
            const ScenarioStep &s = m_scenario.steps[m_next++];
            if (!s.caption.empty())
                m_caption = s.caption;
            due.push_back(s);
        }
        if (target < m_scenario.duration || !m_scenario.loop) {
            m_position = std::min(target, m_scenario.duration);
            return due;
        }
        target -= m_scenario.duration; // the loop starts again
        m_next = 0;
    }
}

} // namespace bb::sim
