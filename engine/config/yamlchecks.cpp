#include "yamlchecks.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace bb {

YamlChecks::YamlChecks(std::string file, std::vector<ConfigIssue> &issues) : m_file(std::move(file)), m_issues(issues) {}

void YamlChecks::error(const YAML::Node &at, const std::string &message) { report(at, message, false); }

void YamlChecks::warning(const YAML::Node &at, const std::string &message) { report(at, message, true); }

void YamlChecks::report(const YAML::Node &at, const std::string &message, bool isWarning)
{
    // A node without a place in the file (an empty document) is at its start.
    const YAML::Mark m = at.Mark();
    m_issues.push_back({m_file, std::max(1, m.line + 1), std::max(1, m.column + 1), message, isWarning});
}

bool YamlChecks::isMap(const YAML::Node &node, const std::string &what)
{
    if (node.IsMap())
        return true;
    error(node, what + " must be a mapping of keys to values");
    return false;
}

void YamlChecks::checkKeys(const YAML::Node &map, std::initializer_list<std::string_view> allowed,
                             const std::string &where)
{
    std::set<std::string> seen;
    for (const auto &kv : map) {
        const std::string key = kv.first.Scalar();
        bool known = false;
        for (auto a : allowed)
            known = known || a == key;
        if (!known)
            error(kv.first, "unknown key '" + key + "' in " + where);
        if (!seen.insert(key).second)
            error(kv.first, "key '" + key + "' appears twice in " + where);
    }
}

std::optional<double> YamlChecks::number(const YAML::Node &n, const std::string &key, double min, double max)
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

std::optional<std::int64_t> YamlChecks::integer(const YAML::Node &n, const std::string &key, std::int64_t min,
                                                  std::int64_t max)
{
    long long v = 0;
    if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v)) {
        error(n, key + " must be a whole number, got '" + (n.IsScalar() ? n.Scalar() : std::string("a block")) + "'");
        return std::nullopt;
    }
    if (v < min || v > max) {
        error(n, key + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                     n.Scalar());
        return std::nullopt;
    }
    return v;
}

std::optional<Duration> YamlChecks::millis(const YAML::Node &n, const std::string &key, std::int64_t minMs,
                                             std::int64_t maxMs)
{
    const auto v = integer(n, key + " (milliseconds)", minMs, maxMs);
    return v ? std::optional<Duration>(std::chrono::milliseconds(*v)) : std::nullopt;
}

std::optional<double> YamlChecks::fraction(const YAML::Node &n, const std::string &key, bool zeroAllowed)
{
    const auto v = number(n, key, 0.0, 1.0);
    if (v && !zeroAllowed && *v == 0.0) {
        error(n, key + " must be above 0, got 0");
        return std::nullopt;
    }
    return v;
}

std::optional<bool> YamlChecks::boolean(const YAML::Node &n, const std::string &key)
{
    bool v = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
        error(n, key + " must be true or false");
        return std::nullopt;
    }
    return v;
}

std::optional<std::string> YamlChecks::text(const YAML::Node &n, const std::string &key)
{
    if (!n.IsScalar()) {
        error(n, key + " must be a string");
        return std::nullopt;
    }
    return n.Scalar();
}

ConfigIssue issueAt(const std::string &file, const YAML::Exception &e, const std::string &prefix)
{
    return {file, std::max(1, e.mark.line + 1), std::max(1, e.mark.column + 1), prefix + e.msg, false};
}

std::optional<YAML::Node> parseYaml(const std::string &text, const std::string &file, std::vector<ConfigIssue> &issues)
{
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception &e) {
        issues.push_back(issueAt(file, e, "YAML syntax: "));
        return std::nullopt;
    }
}

std::optional<std::string> readTextFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace bb
