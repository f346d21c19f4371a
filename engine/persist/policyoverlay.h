// Live policy edits, kept apart from the configuration file: yaml-cpp cannot
// write a file back with its comments, so edits go to an overlay next to it
// (seed.yaml → seed.overlay.yaml) that is applied on top at every load. Its
// format is the configuration's: a service name, then the policy keys.
#pragma once

#include "config/configloader.h"

#include <QString>

#include <map>
#include <string>
#include <vector>

namespace bb::persist {

class PolicyOverlay {
public:
    // "dir/name.yaml" → "dir/name.overlay.yaml".
    static QString pathFor(const QString &configPath);

    // A missing file is an empty overlay. Errors name file, line and column;
    // on any error the overlay is left empty.
    std::vector<ConfigIssue> load(const QString &path);
    // The same from text; file names it in the issues.
    std::vector<ConfigIssue> parse(const std::string &text, const std::string &file);
    bool save(const QString &path, QString *error) const;

    // Merges a checked edit (JSON or YAML mapping of policy keys) into the
    // service's entry; later keys replace earlier ones, nested blocks merge.
    void merge(const std::string &service, const std::string &editText);
    bool empty() const { return m_edits.empty(); }

    // Applies every entry to the configuration; an entry for a service the
    // configuration lacks, or one that no longer passes the checks, is an error.
    std::vector<ConfigIssue> applyTo(Configuration &config, const QString &path) const;

    // YAML text of the whole overlay (comments only when empty).
    std::string text() const;

private:
    std::map<std::string, std::string> m_edits; // service → YAML mapping text
};

} // namespace bb::persist
