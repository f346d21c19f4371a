#include "importer.h"

#include "jsonline.h"
#include "servicemapping.h"

#include "config/yamlchecks.h"

#include <algorithm>
#include <array>
#include <fstream>

namespace bb::record {

namespace {
constexpr std::array<std::string_view, 3> kFormatNames = {"nginx", "har", "envoy"};

} // namespace

std::optional<ImportFormat> parseImportFormat(std::string_view name)
{
    for (std::size_t i = 0; i < kFormatNames.size(); ++i) {
        if (kFormatNames[i] == name)
            return ImportFormat(i);
    }
    return std::nullopt;
}

std::string_view nameOf(ImportFormat format) { return kFormatNames[std::size_t(format)]; }

ImportResult importLog(ImportFormat format, const std::string &inputPath, const std::string &outputPath,
                       const Configuration *config, const std::string &configName, const std::string &configText,
                       const std::function<void(double)> &progress)
{
    ImportResult result;
    if (format == ImportFormat::Har) {
        result.report.unit = "entry";
        result.report.units = "entries";
    }
    const auto text = readTextFile(inputPath);
    if (!text) {
        result.error = inputPath + ": cannot read the file";
        return result;
    }
    const ServiceMapping mapping(config);
    struct Mapped {
        LoggedRequest request;
        std::string service;
        CallOutcome outcome;
    };
    std::vector<Mapped> requests;
    LogReader reader;
    reader.request = [&](LoggedRequest r) {
        auto service = mapping.serviceOf(r);
        if (!service) {
            std::string message = "no configured service for ";
            message += r.host;
            message += r.target;
            if (!r.upstream.empty())
                message += " (upstream " + r.upstream + ")";
            result.report.add(r.line, std::move(message));
            return;
        }
        const CallOutcome outcome = mapping.outcomeOf(r, *service);
        requests.push_back({std::move(r), std::move(*service), outcome});
    };
    reader.malformed = [&](std::uint64_t line, std::string message) { result.report.add(line, std::move(message)); };
    reader.note = [&](std::string message) { result.notes.push_back(std::move(message)); };
    reader.progress = progress;
    switch (format) {
    case ImportFormat::Nginx: readNginxLog(*text, reader); break;
    case ImportFormat::Envoy: readEnvoyLog(*text, reader); break;
    case ImportFormat::Har: readHar(*text, reader); break;
    }

    std::stable_sort(requests.begin(), requests.end(),
                     [](const Mapped &a, const Mapped &b) { return a.request.arrivalMs < b.request.arrivalMs; });
    RecordingHeader header;
    header.source = "import " + std::string(nameOf(format));
    header.configName = configName;
    header.config = configText;
    const double startMs = requests.empty() ? 0 : requests.front().request.arrivalMs;
    header.startWallMs = std::int64_t(startMs);
    std::string out = headerLine(header);
    for (const Mapped &m : requests) {
        RequestLine line;
        line.tMs = m.request.arrivalMs - double(header.startWallMs);
        line.service = m.service;
        line.outcome = m.outcome;
        line.latencyMs = m.request.latencyMs;
        line.method = m.request.method;
        line.path = m.request.target;
        line.status = m.request.status;
        line.upstream = m.request.upstream;
        line.bytes = m.request.bytes;
        appendRequestLine(out, line);
    }
    std::ofstream file(outputPath, std::ios::binary | std::ios::trunc);
    if (!file || !file.write(out.data(), std::streamsize(out.size())) || !file.flush()) {
        result.error = outputPath + ": cannot write the recording";
        return result;
    }
    result.imported = requests.size();
    result.ok = true;
    return result;
}

} // namespace bb::record
