// Walks a parsed YAML document into a Configuration, collecting every
// problem with its position instead of stopping at the first.
#pragma once

#include "configloader.h"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string_view>

namespace bb {

inline bool hasKey(const YAML::Node &map, const char *key)
{
    return map.IsDefined() && map.IsMap() && map[key].IsDefined();
}

class ConfigReader {
public:
    ConfigReader(std::string file, std::vector<ConfigIssue> &issues);
    Configuration read(const YAML::Node &root);
    // Applies the breaker-policy keys of one mapping to a service; any other
    // key is an error.
    void readPolicyEdit(const YAML::Node &n, ServiceConfig &s);

private:
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

    void applyService(const YAML::Node &n, ServiceConfig &s);
    void applyWindow(const YAML::Node &n, ServiceConfig &s);
    void applySlowCall(const YAML::Node &n, ServiceConfig &s);
    void applyHalfOpen(const YAML::Node &n, ServiceConfig &s);
    void applyBackoff(const YAML::Node &n, ServiceConfig &s);
    void applyBulkhead(const YAML::Node &n, ServiceConfig &s);
    void applyRetry(const YAML::Node &n, ServiceConfig &s);
    void applyFallback(const YAML::Node &n, ServiceConfig &s);
    void applyRoutes(const YAML::Node &n, ServiceConfig &s);
    std::optional<std::vector<StatusRange>> statuses(const YAML::Node &n, const std::string &key);
    void readGroups(const YAML::Node &n, const YAML::Node &defaults, Configuration &config,
                    std::vector<YAML::Node> &serviceNodes);
    ServiceConfig makeService(const std::string &name, const YAML::Node &defaults, const YAML::Node &own);
    void checkService(const YAML::Node &at, const ServiceConfig &s, const Configuration &config);

    std::string m_file;
    std::vector<ConfigIssue> &m_issues;
};

} // namespace bb
