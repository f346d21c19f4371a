// Which instances to attach to: an admin API's URL given on the command line
// (--attach), or a fleet file that names several. Paths to token and CA files
// are kept as the user gave them (a fleet file's made absolute).
#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>
#include <vector>

namespace bb::remote {

struct Instance {
    QString name;      // as shown to people; "host:port" unless a fleet file names it
    QUrl url;          // scheme, host and port only
    QString tokenFile; // empty: requests carry no token
    QString caFile;    // empty: the system's certificates
};

// From a URL given with --attach: http:// or https://, host and port, no path
// beyond "/"; name defaults to "host:port". nullopt with *error set when the
// URL is not one of an admin API.
std::optional<Instance> instanceFromUrl(const QString &url, const QString &tokenFile,
                                        const QString &caFile, QString *error);

// A fleet file (YAML):
//   instances:
//     - name: eu-1
//       url: https://10.0.0.5:9901
//       token_file: tokens/eu-1   # optional; relative to the file
//       ca_file: fleet-ca.pem     # optional; relative to the file
// Checked like the configuration: every problem as "FILE:LINE:COLUMN: message"
// in *errors, and then nullopt.
std::optional<std::vector<Instance>> loadFleetFile(const QString &path, QStringList *errors);

// 127.0.0.0/8, ::1 or "localhost": a token may go there over plain http.
bool isLoopback(const QUrl &url);

} // namespace bb::remote
