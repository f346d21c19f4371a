// loadFleetFile: the fleet file read with the configuration's YAML checks.
#include "config/yamlchecks.h"
#include "instance.h"

#include <QDir>
#include <QFileInfo>
#include <map>

namespace bb::remote {

namespace {
QString qs(const std::string &s) {
    return QString::fromStdString(s);
}

QString besideFile(const QDir &dir, const QString &path) {
    return path.isEmpty() ? path : QDir::cleanPath(dir.absoluteFilePath(path));
}

// One entry of `instances:`, or nullopt when it has errors (reported).
std::optional<Instance> readInstance(const YAML::Node &n, const QDir &dir, YamlChecks &r) {
    if (!r.isMap(n, "an instance"))
        return std::nullopt;
    r.checkKeys(n, {"name", "url", "token_file", "ca_file"}, "an instance");
    bool ok = true;
    const auto field = [&](const std::string &key, bool required) {
        if (!hasKey(n, key.c_str())) {
            if (required)
                r.error(n, "an instance needs '" + key + "'");
            ok = ok && !required;
            return QString();
        }
        const auto t = r.text(n[key], key);
        if (t && t->empty())
            r.error(n[key], key + " must not be empty");
        ok = ok && t && !t->empty();
        return t ? qs(*t) : QString();
    };
    const QString name = field("name", true);
    const QString url = field("url", true);
    const QString tokenFile = field("token_file", false);
    const QString caFile = field("ca_file", false);
    if (!ok)
        return std::nullopt;
    QString why;
    auto instance = instanceFromUrl(url, besideFile(dir, tokenFile), besideFile(dir, caFile), &why);
    if (!instance) {
        r.error(n["url"], "url '" + url.toStdString() + "' " + why.toStdString());
        return std::nullopt;
    }
    instance->name = name;
    return instance;
}

std::vector<Instance> readFleet(const YAML::Node &root, const QDir &dir, YamlChecks &r) {
    std::vector<Instance> fleet;
    if (!root.IsMap() || !hasKey(root, "instances")) {
        r.error(root, "a fleet file is a mapping with one key, 'instances'");
        return fleet;
    }
    r.checkKeys(root, {"instances"}, "the top level");
    const YAML::Node list = root["instances"];
    if (!list.IsSequence() || list.size() == 0) {
        r.error(list, "instances must be a list of instances, each with a name and a url");
        return fleet;
    }
    // Where each name and URL was first given, for the message about the second.
    std::map<QString, int> nameLines;
    std::map<QString, int> urlLines;
    for (const YAML::Node &n : list) {
        auto instance = readInstance(n, dir, r);
        if (!instance)
            continue;
        const auto first = [&](std::map<QString, int> &seen, const QString &key, const char *what,
                               const char *at) {
            const auto [it, isNew] = seen.emplace(key, n[at].Mark().line + 1);
            if (!isNew)
                r.error(n[at], std::string(what) + " '" + key.toStdString() +
                                   "' is given twice (first on line " + std::to_string(it->second) +
                                   ")");
            return isNew;
        };
        const bool newName = first(nameLines, instance->name, "instance name", "name");
        if (first(urlLines, instance->url.toString(), "url", "url") && newName)
            fleet.push_back(std::move(*instance));
    }
    return fleet;
}
} // namespace

std::optional<std::vector<Instance>> loadFleetFile(const QString &path, QStringList *errors) {
    const std::string file = path.toStdString();
    std::vector<ConfigIssue> issues;
    std::vector<Instance> fleet;
    if (const auto text = readTextFile(file)) {
        if (const auto root = parseYaml(*text, file, issues)) {
            YamlChecks checks(file, issues);
            fleet = readFleet(*root, QFileInfo(path).absoluteDir(), checks);
        }
    } else {
        issues.push_back({file, 1, 1, "cannot read the file", false});
    }
    if (errors)
        for (const ConfigIssue &issue : issues)
            errors->append(qs(issue.toString()));
    if (!issues.empty())
        return std::nullopt;
    return fleet;
}

} // namespace bb::remote
