#include "scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace bb::sim {

namespace {
class StepReader {
public:
    StepReader(std::string file, std::vector<ConfigIssue> &issues) : m_file(std::move(file)), m_issues(issues) {}

    void error(const YAML::Node &at, const std::string &message)
    {
        const YAML::Mark m = at.Mark();
        m_issues.push_back({m_file, std::max(1, m.line + 1), std::max(1, m.column + 1), message, false});
    }

    bool keysIn(const YAML::Node &map, const std::set<std::string> &allowed, const std::string &where)
    {
        bool ok = true;
        for (const auto &kv : map)
            if (!allowed.count(kv.first.Scalar())) {
                error(kv.first, "unknown key '" + kv.first.Scalar() + "' in " + where);
                ok = false;
            }
        return ok;
    }

    std::optional<double> number(const YAML::Node &n, const std::string &key, double min, double max)
    {
        double v = 0;
        if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !std::isfinite(v)) {
            error(n, key + " must be a number, got '" + (n.IsScalar() ? n.Scalar() : std::string("a block")) + "'");
            return std::nullopt;
        }
        if (v < min || v > max) {
            std::ostringstream s;
            s << key << " must be between " << min << " and " << max << ", got " << n.Scalar();
            error(n, s.str());
            return std::nullopt;
        }
        return v;
    }

    std::optional<bool> boolean(const YAML::Node &n, const std::string &key)
    {
        bool v = false;
        if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
            error(n, key + " must be true or false");
            return std::nullopt;
        }
        return v;
    }

    std::string text(const YAML::Node &n, const std::string &key)
    {
        if (!n.IsScalar()) {
            error(n, key + " must be text");
            return {};
        }
        return n.Scalar();
    }

private:
    std::string m_file;
    std::vector<ConfigIssue> &m_issues;
};

ScenarioStep readStep(StepReader &r, const YAML::Node &n, const std::vector<std::string> &services)
{
    ScenarioStep s;
    if (!n.IsMap()) {
        r.error(n, "a step must be a mapping such as {at: 10, service: NAME, failure_rate: 0.5}");
        return s;
    }
    r.keysIn(n, {"at", "service", "failure_rate", "latency", "latency_spread", "outage", "slow_drip", "rate", "caption"},
             "a step");
    if (!n["at"])
        r.error(n, "a step needs 'at' (seconds from the start)");
    else if (auto v = r.number(n["at"], "at", 0, 24 * 3600))
        s.at = *v;
    if (n["service"]) {
        s.service = r.text(n["service"], "service");
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
        s.caption = r.text(n["caption"], "caption");
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
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception &e) {
        result.issues.push_back({fileName, e.mark.line + 1, e.mark.column + 1, "syntax: " + e.msg, false});
        return result;
    }
    StepReader r(fileName, result.issues);
    Scenario scenario;
    const YAML::Node top = root["scenario"];
    if (!root.IsMap() || !top || !top.IsMap()) {
        r.error(root, "a scenario file is a mapping with one key, 'scenario'");
        return result;
    }
    r.keysIn(root, {"scenario"}, "the top level");
    r.keysIn(top, {"name", "description", "duration", "loop", "steps"}, "scenario");
    scenario.name = top["name"] ? r.text(top["name"], "name") : "";
    if (scenario.name.empty())
        r.error(top, "a scenario needs a name");
    if (top["description"])
        scenario.description = r.text(top["description"], "description");
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
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ScenarioResult result;
        result.issues.push_back({path, 1, 1, "cannot read the file", false});
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseScenario(text.str(), path, services);
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
