#include "configloader.h"

#include "configreader.h"
#include "yamlchecks.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <tuple>
#include <set>
#include <sstream>

namespace bb {

std::string ConfigIssue::toString() const
{
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + (warning ? "warning: " : "") +
           message;
}

std::vector<ConfigIssue> ConfigResult::errors() const
{
    std::vector<ConfigIssue> out;
    for (const auto &i : issues) {
        if (!i.warning)
            out.push_back(i);
    }
    return out;
}

ConfigResult parseConfiguration(const std::string &yamlText, const std::string &fileName, bool checkFiles)
{
    ConfigResult result;
    const auto root = parseYaml(yamlText, fileName, result.issues);
    if (!root)
        return result;
    ConfigReader reader(fileName, result.issues);
    reader.setCheckFiles(checkFiles);
    Configuration config;
    try {
        config = reader.read(*root);
    } catch (const YAML::Exception &e) {
        // The reader checks types before it converts; this is the net under it.
        result.issues.push_back(issueAt(fileName, e));
    }
    std::stable_sort(result.issues.begin(), result.issues.end(), [](const ConfigIssue &a, const ConfigIssue &b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    if (result.errors().empty())
        result.config = std::move(config);
    return result;
}

PolicyEditResult applyPolicyEdit(const ServiceConfig &current, const std::string &text)
{
    PolicyEditResult result;
    const auto root = parseYaml(text, "edit", result.errors);
    if (!root)
        return result;
    ServiceConfig edited = current;
    std::vector<ConfigIssue> issues;
    ConfigReader reader("edit", issues);
    try {
        reader.readPolicyEdit(*root, edited);
    } catch (const YAML::Exception &e) {
        issues.push_back(issueAt("edit", e));
    }
    for (auto &i : issues) {
        if (!i.warning)
            result.errors.push_back(std::move(i));
    }
    if (result.errors.empty())
        result.service = std::move(edited);
    return result;
}

ConfigResult loadConfiguration(const std::string &path)
{
    const auto text = readTextFile(path);
    if (!text) {
        ConfigResult result;
        result.issues.push_back({path, 1, 1, "cannot read the file", false});
        return result;
    }
    return parseConfiguration(*text, path, true);
}

} // namespace bb
