// Checks of YAML values with positions: every problem becomes a ConfigIssue
// (file:line:column: message) and reading goes on. Shared by the
// configuration reader and the scenario reader.
#pragma once

#include "configloader.h"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bb {

inline bool hasKey(const YAML::Node &map, const char *key)
{
    return map.IsDefined() && map.IsMap() && map[key].IsDefined();
}

class YamlChecks {
public:
    YamlChecks(std::string file, std::vector<ConfigIssue> &issues);

    void error(const YAML::Node &at, const std::string &message);
    void warning(const YAML::Node &at, const std::string &message);
    void report(const YAML::Node &at, const std::string &message, bool isWarning);
    bool isMap(const YAML::Node &node, const std::string &what);
    void checkKeys(const YAML::Node &map, std::initializer_list<std::string_view> allowed, const std::string &where);

    std::optional<double> number(const YAML::Node &n, const std::string &key, double min, double max);
    std::optional<std::int64_t> integer(const YAML::Node &n, const std::string &key, std::int64_t min,
                                        std::int64_t max);
    std::optional<Duration> millis(const YAML::Node &n, const std::string &key, std::int64_t minMs, std::int64_t maxMs);
    std::optional<double> fraction(const YAML::Node &n, const std::string &key, bool zeroAllowed);
    std::optional<bool> boolean(const YAML::Node &n, const std::string &key);
    std::optional<std::string> text(const YAML::Node &n, const std::string &key);
    // The value of the word n holds among choices; otherwise nullopt, after
    // the error "KEY must be EXPECTED, got 'WORD'".
    template <typename T>
    std::optional<T> oneOf(const YAML::Node &n, const std::string &key,
                           std::initializer_list<std::pair<std::string_view, T>> choices, const std::string &expected)
    {
        const auto word = text(n, key);
        if (!word)
            return std::nullopt;
        for (const auto &[choice, value] : choices)
            if (*word == choice)
                return value;
        error(n, key + " must be " + expected + ", got '" + *word + "'");
        return std::nullopt;
    }


protected:
    std::string m_file;
    std::vector<ConfigIssue> &m_issues;
};

// A yaml-cpp exception as an issue at its position.
ConfigIssue issueAt(const std::string &file, const YAML::Exception &e, const std::string &prefix = {});
// YAML text parsed; a syntax error is added to issues ("YAML syntax: ...") and gives nullopt.
std::optional<YAML::Node> parseYaml(const std::string &text, const std::string &file, std::vector<ConfigIssue> &issues);

// A whole file as text; nullopt when it cannot be read.
std::optional<std::string> readTextFile(const std::string &path);

} // namespace bb
