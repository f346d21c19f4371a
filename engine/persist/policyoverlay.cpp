#include "policyoverlay.h"

#include "statedirectory.h"

#include "config/yamlchecks.h"

#include <QFile>
#include <QDir>
#include <QFileInfo>

#include <yaml-cpp/yaml.h>

namespace bb::persist {

namespace {
constexpr char kHeader[] = "# Policy edits made while Breakerboard ran, applied on top of the configuration\n"
                           "# file next to this one. Written by Breakerboard; delete an entry to go back to\n"
                           "# the file's values.\n";

void mergeInto(YAML::Node target, const YAML::Node &edit)
{
    for (const auto &kv : edit) {
        const std::string key = kv.first.Scalar();
        if (kv.second.IsMap() && target[key].IsMap())
            mergeInto(target[key], kv.second);
        else
            target[key] = YAML::Clone(kv.second);
    }
}

std::string dump(const YAML::Node &node)
{
    YAML::Emitter out;
    out << node;
    return out.c_str();
}
} // namespace

QString PolicyOverlay::pathFor(const QString &configPath)
{
    const QFileInfo info(configPath);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral(".overlay.yaml"));
}

std::vector<ConfigIssue> PolicyOverlay::load(const QString &path)
{
    m_edits.clear();
    const std::string file = path.toStdString();
    if (!QFile::exists(path))
        return {};
    const auto text = readTextFile(file);
    if (!text)
        return {{file, 1, 1, "cannot read the file", false}};
    return parse(*text, file);
}

std::vector<ConfigIssue> PolicyOverlay::parse(const std::string &text, const std::string &file)
{
    m_edits.clear();
    std::vector<ConfigIssue> issues;
    const auto parsed = parseYaml(text, file, issues);
    if (!parsed)
        return issues;
    const YAML::Node &root = *parsed;
    if (root.IsNull())
        return issues;
    if (!root.IsMap()) {
        issues.push_back({file, root.Mark().line + 1, root.Mark().column + 1,
                          "the overlay must map service names to policy keys", false});
        return issues;
    }
    for (const auto &kv : root) {
        if (!kv.second.IsMap()) {
            issues.push_back({file, kv.second.Mark().line + 1, kv.second.Mark().column + 1,
                              "the overlay entry of '" + kv.first.Scalar() + "' must be a mapping of policy keys",
                              false});
            continue;
        }
        m_edits[kv.first.Scalar()] = dump(kv.second);
    }
    if (!issues.empty())
        m_edits.clear();
    return issues;
}

void PolicyOverlay::merge(const std::string &service, const std::string &editText)
{
    YAML::Node entry = m_edits.count(service) ? YAML::Load(m_edits[service]) : YAML::Node(YAML::NodeType::Map);
    mergeInto(entry, YAML::Load(editText));
    m_edits[service] = dump(entry);
}

std::string PolicyOverlay::text() const
{
    if (m_edits.empty())
        return kHeader;
    YAML::Node root(YAML::NodeType::Map);
    for (const auto &[service, edit] : m_edits)
        root[service] = YAML::Load(edit);
    return kHeader + dump(root) + "\n";
}

bool PolicyOverlay::save(const QString &path, QString *error) const
{
    return writeFileAtomically(path, QByteArray::fromStdString(text()), error);
}

std::vector<ConfigIssue> PolicyOverlay::applyTo(Configuration &config, const QString &path) const
{
    std::vector<ConfigIssue> issues;
    const std::string file = path.toStdString();
    for (const auto &[service, edit] : m_edits) {
        ServiceConfig *it = config.service(service);
        if (!it) {
            issues.push_back({file, 1, 1, "the overlay edits '" + service + "', which the configuration lacks", false});
            continue;
        }
        PolicyEditResult edited = applyPolicyEdit(*it, edit);
        for (auto &e : edited.errors)
            issues.push_back({file, 1, 1, "the overlay entry of '" + service + "': " + e.message, false});
        if (edited.service)
            *it = std::move(*edited.service);
    }
    return issues;
}

} // namespace bb::persist
