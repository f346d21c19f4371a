#include "recordingreader.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace bb::record {

namespace {
namespace od = simdjson::ondemand;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Reader {
public:
    explicit Reader(Recording &recording, LineReport &report) : m_recording(recording), m_report(report) {}

    // One line (without its newline), with readable padding behind it.
    void line(const char *begin, std::size_t length, std::size_t capacity, bool complete)
    {
        ++m_lineNumber;
        ++m_report.lines;
        while (length > 0 && (begin[length - 1] == '\r' || begin[length - 1] == ' ' || begin[length - 1] == '\t'))
            --length;
        std::size_t skip = 0;
        while (skip < length && (begin[skip] == ' ' || begin[skip] == '\t'))
            ++skip;
        if (skip == length)
            return;
        const char *error = parse(begin + skip, length - skip, capacity - skip);
        if (!error)
            return;
        if (!complete) {
            m_report.cutOffLine = m_lineNumber;
            return;
        }
        m_report.add(m_lineNumber, error);
    }

private:
    // nullptr when the line was taken; otherwise what is wrong with it.
    const char *parse(const char *text, std::size_t length, std::size_t capacity)
    {
        od::document doc;
        if (m_parser.iterate(text, length, capacity).get(doc))
            return "not JSON";
        od::object object;
        if (const auto error = doc.get_object().get(object)) {
            if (error == simdjson::INCORRECT_TYPE)
                return "not a JSON object";
            return error == simdjson::TRAILING_CONTENT ? "text after the JSON object" : "not JSON";
        }
        double t = std::nan(""), latency = std::nan("");
        std::string_view service, outcomeText;
        bool isHeader = false;
        for (auto field : object) {
            std::string_view key;
            if (field.unescaped_key().get(key))
                return "not JSON";
            od::value value = field.value();
            if (key == "t") {
                if (value.get_double().get(t))
                    return "\"t\" is not a number";
            } else if (key == "latency_ms") {
                if (value.get_double().get(latency))
                    return "\"latency_ms\" is not a number";
            } else if (key == "service") {
                if (value.get_string().get(service))
                    return "\"service\" is not a string";
            } else if (key == "outcome") {
                if (value.get_string().get(outcomeText))
                    return "\"outcome\" is not a string";
            } else if (key == "breakerboard_recording" && m_calls == 0 && !m_recording.hasHeader) {
                isHeader = true;
                if (const char *error = header(value))
                    return error;
            } else if (isHeader) {
                if (const char *error = headerField(key, value))
                    return error;
            }
            // Other fields are skipped by the iteration itself.
        }
        const char *rest = nullptr;
        if (doc.current_location().get(rest) == simdjson::SUCCESS)
            return "text after the JSON object";
        if (isHeader) {
            m_recording.hasHeader = true;
            return nullptr;
        }
        if (std::isnan(t))
            return "\"t\" is missing";
        if (t < 0 || !(t <= 1e11))
            return "\"t\" is negative or too large";
        if (std::isnan(latency))
            return "\"latency_ms\" is missing";
        if (latency < 0 || !(latency <= 1e9))
            return "\"latency_ms\" is negative or too large";
        if (service.empty())
            return "\"service\" is missing or empty";
        const auto outcome = parseCallOutcome(outcomeText);
        if (!outcome)
            return outcomeText.empty() ? "\"outcome\" is missing"
                                       : "\"outcome\" is not success, failure, timeout, ignored or rejected";
        RecordedCall call;
        call.atNs = std::llround(t * 1e6);
        call.latencyNs = std::llround(latency * 1e6);
        call.service = serviceIndex(service);
        call.outcome = *outcome;
        m_sorted = m_sorted && (m_recording.calls.empty() || m_recording.calls.back().atNs <= call.atNs);
        m_recording.calls.push_back(call);
        ++m_calls;
        return nullptr;
    }

    const char *header(od::value value)
    {
        std::int64_t version = 0;
        if (value.get_int64().get(version) || version < 1)
            return "\"breakerboard_recording\" is not a version number";
        m_recording.header.version = int(version);
        return nullptr;
    }

    const char *headerField(std::string_view key, od::value value)
    {
        RecordingHeader &h = m_recording.header;
        std::string_view text;
        if (key == "start_wall_ms")
            return value.get_int64().get(h.startWallMs) ? "\"start_wall_ms\" is not a whole number" : nullptr;
        if (key == "start_engine_ns")
            return value.get_int64().get(h.startEngineNs) || h.startEngineNs < 0 ? "\"start_engine_ns\" is not a whole number"
                                                                                 : nullptr;
        std::string *field = key == "source" ? &h.source : key == "config" ? &h.config
                           : key == "config_name" ? &h.configName : key == "policy_edits" ? &h.policyEdits : nullptr;
        if (field) {
            if (value.get_string().get(text))
                return "a header field is not a string";
            *field = std::string(text);
        }
        return nullptr;
    }

    std::uint32_t serviceIndex(std::string_view name)
    {
        if (m_lastIndex < m_recording.services.size() && m_recording.services[m_lastIndex] == name)
            return m_lastIndex;
        const auto it = m_index.find(name);
        if (it != m_index.end())
            return m_lastIndex = it->second;
        m_lastIndex = std::uint32_t(m_recording.services.size());
        m_recording.services.emplace_back(name);
        m_index.emplace(std::string(name), m_lastIndex);
        return m_lastIndex;
    }

public:
    bool sorted() const { return m_sorted; }

private:
    Recording &m_recording;
    LineReport &m_report;
    od::parser m_parser;
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> m_index;
    std::uint32_t m_lastIndex = 0;
    std::uint64_t m_lineNumber = 0;
    std::uint64_t m_calls = 0;
    bool m_sorted = true;
};

LoadResult parsePadded(const simdjson::padded_string &text, const LoadProgress &progress)
{
    LoadResult result;
    Recording recording;
    Reader reader(recording, result.report);
    const char *const begin = text.data();
    const char *const end = begin + text.size();
    const std::size_t capacity = text.size() + simdjson::SIMDJSON_PADDING;
    recording.calls.reserve(text.size() / 96);
    const char *line = begin;
    std::uint64_t sinceProgress = 0;
    while (line < end) {
        const char *newline = static_cast<const char *>(std::memchr(line, '\n', std::size_t(end - line)));
        const char *lineEnd = newline ? newline : end;
        reader.line(line, std::size_t(lineEnd - line), capacity - std::size_t(line - begin), newline != nullptr);
        line = lineEnd + 1;
        if (progress && ++sinceProgress == 65536) {
            sinceProgress = 0;
            progress(std::uint64_t(std::min(line, end) - begin), text.size());
        }
    }
    if (!reader.sorted())
        std::stable_sort(recording.calls.begin(), recording.calls.end(),
                         [](const RecordedCall &a, const RecordedCall &b) { return a.atNs < b.atNs; });
    if (progress)
        progress(text.size(), text.size());
    result.recording = std::move(recording);
    return result;
}
} // namespace

void LineReport::add(std::uint64_t line, std::string message)
{
    ++malformed;
    if (first.size() < kListed)
        first.push_back({line, std::move(message)});
}

std::vector<std::string> LineReport::warnings() const
{
    std::vector<std::string> out;
    if (malformed > 0) {
        std::string text = std::to_string(malformed) + " " + (malformed == 1 ? unit : units) + " skipped (";
        for (std::size_t i = 0; i < first.size(); ++i) {
            text += (i ? "; " : "") + (first[i].line ? unit + " " + std::to_string(first[i].line) + ": " : "") +
                    first[i].message;
        }
        if (malformed > first.size())
            text += "; …";
        out.push_back(text + ")");
    }
    if (cutOffLine)
        out.push_back("line " + std::to_string(*cutOffLine) +
                      " is cut off (the file ends mid-line): read up to the line before it");
    return out;
}

LoadResult loadRecording(const std::string &path, const LoadProgress &progress)
{
    simdjson::padded_string text;
    if (const auto error = simdjson::padded_string::load(path).get(text)) {
        LoadResult result;
        result.error = path + ": cannot read the file (" + simdjson::error_message(error) + ")";
        return result;
    }
    return parsePadded(text, progress);
}

LoadResult parseRecording(std::string_view text, const LoadProgress &progress)
{
    return parsePadded(simdjson::padded_string(text), progress);
}

} // namespace bb::record
