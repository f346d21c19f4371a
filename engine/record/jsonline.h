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

// JSON pieces, shared with replay's JSON output.
void appendJsonString(std::string &out, std::string_view text);
// Up to three decimals, no trailing zeros: 12.5, 3, 0.125.
void appendJsonNumber(std::string &out, double value);
void appendJsonInteger(std::string &out, std::int64_t value);

} // namespace bb::record
