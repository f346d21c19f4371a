// Reads Breakerboard's YAML configuration: the seed's `circuit_breakers:`
// document as written, plus Breakerboard's additions (DESIGN.md,
// "Configuration"). Every problem is reported with file, line and column;
// a file with any error yields no configuration.
#pragma once

#include "serviceconfig.h"

#include <optional>
#include <string>
#include <vector>

namespace bb {

struct ConfigIssue {
    std::string file;
    int line = 0;   // 1-based
    int column = 0; // 1-based
    std::string message;
    bool warning = false;
    // "file:line:column: message" (with "warning: " before warnings' messages)
    std::string toString() const;
};

struct ConfigResult {
    std::optional<Configuration> config; // set when there are no errors
    std::vector<ConfigIssue> issues;     // errors and warnings, in file order
    bool ok() const { return config.has_value(); }
    std::vector<ConfigIssue> errors() const;
};

// checkFiles: also read the files the configuration names (a service's tls:
// certificates and keys, relative to fileName's directory) and refuse bad
// ones. loadConfiguration always does; text from elsewhere (a recording's
// header, a demo) is read without.
ConfigResult parseConfiguration(const std::string &yamlText, const std::string &fileName, bool checkFiles = false);
ConfigResult loadConfiguration(const std::string &path);

// A live policy edit (JSON or YAML mapping of the configuration's policy keys)
// applied to a service's current settings; the same checks as a file.
struct PolicyEditResult {
    std::optional<ServiceConfig> service; // set when there are no errors
    std::vector<ConfigIssue> errors;
};
PolicyEditResult applyPolicyEdit(const ServiceConfig &current, const std::string &text);

} // namespace bb
