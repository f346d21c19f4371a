#include "replayinputs.h"

#include "config/configloader.h"
#include "config/yamlchecks.h"
#include "persist/policyoverlay.h"
#include "record/recordingreader.h"

#include <QFileInfo>

namespace bb::app {

std::optional<Configuration> usableConfiguration(const ConfigResult &result, const QString &origin,
                                                 QStringList *problems)
{
    // Warnings are about serving traffic (missing upstreams and the like),
    // which replay does not do: only errors are said.
    for (const ConfigIssue &issue : result.issues) {
        if (!issue.warning)
            problems->append(QString::fromStdString(issue.toString()));
    }
    if (!result.ok()) {
        problems->append(QStringLiteral("%1: not a usable configuration").arg(origin));
        return std::nullopt;
    }
    return *result.config;
}

ConfigText readConfigText(const QString &path)
{
    if (path.isEmpty())
        return {};
    return {QFileInfo(path).fileName().toStdString(), readTextFile(path.toStdString()).value_or(std::string())};
}

std::string ReplayInputs::describeConfigs() const
{
    std::string text;
    for (std::size_t i = 0; i < configs.size(); ++i)
        text += (i ? ", " : "") + configs[i].name + " (" + origins[i] + ")";
    return text;
}

std::optional<ReplayInputs> loadReplayInputs(const QString &recordingPath, const QString &configPath,
                                             const QStringList &whatIfPaths, QStringList *problems,
                                             const std::function<void(double)> &progress,
                                             const ConfigText &fallback)
{
    record::LoadResult loaded = record::loadRecording(
        recordingPath.toStdString(), [&](std::uint64_t done, std::uint64_t total) {
            if (progress && total > 0)
                progress(double(done) / double(total));
        });
    if (!loaded.recording) {
        problems->append(QString::fromStdString(loaded.error));
        return std::nullopt;
    }
    for (const std::string &warning : loaded.report.warnings())
        problems->append(recordingPath + QStringLiteral(": ") + QString::fromStdString(warning));
    if (loaded.recording->calls.empty())
        problems->append(recordingPath + QStringLiteral(": no calls to replay"));

    ReplayInputs inputs;
    std::vector<std::string> paths;
    bool ok = true;
    if (configPath.isEmpty()) {
        const record::RecordingHeader &header = loaded.recording->header;
        const bool own = !header.config.empty();
        if (!own && fallback.text.empty()) {
            problems->append(recordingPath +
                             QStringLiteral(": the recording carries no configuration; name one with --config FILE"));
            return std::nullopt;
        }
        const std::string origin = own ? recordingPath.toStdString() + " (header)" : fallback.name;
        auto config = usableConfiguration(parseConfiguration(own ? header.config : fallback.text, origin),
                                          own ? recordingPath : QString::fromStdString(origin), problems);
        if (config && own && !header.policyEdits.empty()) {
            // Policy edits in force when the recording started apply on top.
            persist::PolicyOverlay edits;
            auto issues = edits.parse(header.policyEdits, origin + " policy edits");
            if (issues.empty())
                issues = edits.applyTo(*config, QString::fromStdString(origin + " policy edits"));
            for (const ConfigIssue &issue : issues)
                problems->append(QString::fromStdString(issue.toString()));
            if (!issues.empty())
                config.reset();
        }
        ok = ok && config;
        if (config) {
            const std::string name = !own ? fallback.name : header.configName.empty() ? "recorded" : header.configName;
            paths.push_back(name);
            inputs.configs.push_back({"", *config});
            inputs.origins.push_back(own ? "the recording's own" : "the dashboard's");
        }
    }
    QStringList files = whatIfPaths;
    if (!configPath.isEmpty())
        files.prepend(configPath);
    for (const QString &file : files) {
        const auto config = usableConfiguration(loadConfiguration(file.toStdString()), file, problems);
        ok = ok && config;
        if (config) {
            paths.push_back(file.toStdString());
            inputs.configs.push_back({"", *config});
            inputs.origins.push_back(file.toStdString());
        }
    }
    if (!ok)
        return std::nullopt;
    const std::vector<std::string> names = record::configurationNames(paths);
    for (std::size_t i = 0; i < names.size(); ++i)
        inputs.configs[i].name = names[i];
    inputs.recording = std::make_shared<const record::Recording>(std::move(*loaded.recording));
    return inputs;
}

} // namespace bb::app
