// Walks a parsed YAML document into a Configuration, collecting every
// problem with its position instead of stopping at the first.
#pragma once

#include "configloader.h"
#include "yamlchecks.h"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <set>
#include <utility>
#include <string_view>

namespace bb {


class ConfigReader : private YamlChecks {
public:
    ConfigReader(std::string file, std::vector<ConfigIssue> &issues);
    // Also read the files the configuration names (tls:), at their keys.
    void setCheckFiles(bool check) { m_checkFiles = check; }
    Configuration read(const YAML::Node &root);
    // Applies the breaker-policy keys of one mapping to a service; any other
    // key is an error.
    void readPolicyEdit(const YAML::Node &n, ServiceConfig &s);

private:
    bool isUsableName(const YAML::Node &at, const std::string &name, const char *what);
    void readClientLimits(const YAML::Node &n, ClientLimits &limits);
    void readSharedState(const YAML::Node &n, Configuration &config);
    void applyService(const YAML::Node &n, ServiceConfig &s);
    void applyWindow(const YAML::Node &n, ServiceConfig &s);
    void applySlowCall(const YAML::Node &n, ServiceConfig &s);
    void applyHalfOpen(const YAML::Node &n, ServiceConfig &s);
    void applyBackoff(const YAML::Node &n, ServiceConfig &s);
    void applyBulkhead(const YAML::Node &n, ServiceConfig &s);
    void applyRetry(const YAML::Node &n, ServiceConfig &s);
    void applyFallback(const YAML::Node &n, ServiceConfig &s);
    void applyRoutes(const YAML::Node &n, ServiceConfig &s);
    void readUpstreamTls(const YAML::Node &n, ServiceConfig &s);
    void checkTlsFiles(const YAML::Node &n, const UpstreamTls &tls);
    void checkUpstreamTls(const YAML::Node &at, const ServiceConfig &s);
    std::optional<std::vector<StatusRange>> statuses(const YAML::Node &n, const std::string &key);
    void readGroups(const YAML::Node &n, const YAML::Node &defaults, Configuration &config,
                    std::vector<YAML::Node> &serviceNodes);
    ServiceConfig makeService(const std::string &name, const YAML::Node &defaults, const YAML::Node &own);
    void checkService(const YAML::Node &at, const ServiceConfig &s, const Configuration &config);

    bool m_checkFiles = false;
    std::set<std::pair<int, int>> m_checkedTlsBlocks; // positions of the tls: blocks whose files were read
};

} // namespace bb
