// What a replay needs, read and checked: the recording and the
// configurations to run it against (the first, then the what-ifs). Used by
// the replay command and by the dashboard's replay.
#pragma once

#include "config/configloader.h"
#include "record/replayset.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace bb::app {

struct ReplayInputs {
    std::shared_ptr<const record::Recording> recording;
    std::vector<record::NamedConfiguration> configs;
    // "demo (demo.yaml), strict (strict.yaml)"
    std::string describeConfigs() const;
    std::vector<std::string> origins; // where each configuration came from
};

// A configuration as text, with the name a recording gives it ("demo.yaml").
struct ConfigText {
    std::string name;
    std::string text; // empty: none
};
// A configuration file's name and text as a recording carries them; empty
// for an empty path or a file that cannot be read.
ConfigText readConfigText(const QString &path);

// The configuration, or nullopt; its errors (not its warnings, which are
// about serving traffic) go to problems, with a last line naming origin.
std::optional<Configuration> usableConfiguration(const ConfigResult &result, const QString &origin,
                                                 QStringList *problems);

// configPath empty: the configuration the recording's header carries, or
// fallback when it carries none. problems gets the warnings (malformed
// lines, a cut-off end) and, when nothing is returned, the errors.
std::optional<ReplayInputs> loadReplayInputs(const QString &recordingPath, const QString &configPath,
                                             const QStringList &whatIfPaths, QStringList *problems,
                                             const std::function<void(double)> &progress = {},
                                             const ConfigText &fallback = {});

} // namespace bb::app
