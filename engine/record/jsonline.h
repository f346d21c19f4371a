// The lines of a recording file as they are written: the header and one
// object per request. Writing only; reading is simdjson's (recordingreader).
#pragma once

#include "recording.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace bb::record {

// A request as the recorder and the importers describe it. The first four
// fields are required by readers; the rest are written when known.
struct RequestLine {
    double tMs = 0;
    std::string_view service;
    CallOutcome outcome = CallOutcome::Success;
    double latencyMs = 0;
    std::string_view method;
    std::string_view path;
    int status = 0; // 0: no response
    std::string_view upstream;
    std::uint64_t bytes = 0;
};

// Appends the request's JSON object and a newline.
void appendRequestLine(std::string &out, const RequestLine &line);
// {"breakerboard_recording": 1, "start_wall_ms": …, "start_time": "…", …} and a newline.
std::string headerLine(const RecordingHeader &header);

// Writes one JSON object into out, field by field, in the order given:
// JsonObject(out).text("a", "x").integer("b", 1).close() → {"a":"x","b":1}.
// Output only; shared by recordings and replay's JSON output.
class JsonObject {
public:
    explicit JsonObject(std::string &out) : m_out(out) { m_out += '{'; }
    JsonObject &text(std::string_view key, std::string_view value);
    JsonObject &integer(std::string_view key, std::int64_t value);
    JsonObject &number(std::string_view key, double value);
    JsonObject &flag(std::string_view key, bool value);
    // A nested object under key; close() it before writing here again.
    JsonObject object(std::string_view key);
    void close() { m_out += '}'; }

private:
    void key(std::string_view name);
    std::string &m_out;
    bool m_first = true;
};

// JSON pieces.
void appendJsonString(std::string &out, std::string_view text);
// Up to three decimals, no trailing zeros: 12.5, 3, 0.125.
void appendJsonNumber(std::string &out, double value);
void appendJsonInteger(std::string &out, std::int64_t value);

} // namespace bb::record
