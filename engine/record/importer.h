// `breakerboard import`: other tools' logs turned into recordings. Each
// format's reader turns its input into requests with absolute times; the
// requests are then given services (by the configuration's routes and
// upstream addresses), outcomes (by the service's failure and ignored
// statuses), sorted by arrival and written as a recording. Lines that
// cannot be read, and requests that match no service, are counted and named
// by line (or HAR entry) number; they never stop the import.
#pragma once

#include "recordingreader.h"

#include "config/serviceconfig.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bb::record {

enum class ImportFormat { Nginx, Har, Envoy };
std::optional<ImportFormat> parseImportFormat(std::string_view name);
std::string_view nameOf(ImportFormat format);

// A request as a log tells it, before it has a service.
struct LoggedRequest {
    std::uint64_t line = 0;   // where it was read (HAR: the entry's number)
    double arrivalMs = 0;     // Unix time in milliseconds
    double latencyMs = 0;
    std::string method;
    std::string target;       // path and query
    std::string host;         // Host / :authority / URL host, without port
    std::string authority;    // with port, as logged
    std::string upstream;     // the upstream address as logged ("127.0.0.1:8081"), if any
    int status = 0;           // 0: no response
    std::uint64_t bytes = 0;
    // Set when the log itself says more than the status does.
    std::optional<CallOutcome> outcome;
};

// What a format's reader hands over.
struct LogReader {
    std::function<void(LoggedRequest)> request;
    std::function<void(std::uint64_t line, std::string message)> malformed;
    std::function<void(std::string message)> note; // said once, e.g. "times to the second"
    std::function<void(double fraction)> progress;   // now and then; may be empty
};

void readNginxLog(std::string_view text, const LogReader &reader);
void readEnvoyLog(std::string_view text, const LogReader &reader);
void readHar(const std::string &text, const LogReader &reader);

struct ImportResult {
    bool ok = false;
    std::string error; // the input could not be read or the output not written
    std::uint64_t imported = 0;
    LineReport report; // skipped lines: malformed, or no service
    std::vector<std::string> notes;
};

// config: the services to map requests to (nullptr: each request's service
// is its host, else its upstream address); configText goes into the header.
ImportResult importLog(ImportFormat format, const std::string &inputPath, const std::string &outputPath,
                       const Configuration *config, const std::string &configName, const std::string &configText,
                       const std::function<void(double)> &progress = {});

} // namespace bb::record
