// A recording of traffic: the header that says where it came from, and every
// call with its arrival time, service, outcome and latency. This is what
// replay works on; the optional fields of the file (method, path, status,
// upstream, bytes) are for people and are not kept in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bb::record {

enum class CallOutcome : std::uint8_t { Success, Failure, Timeout, Ignored, Rejected };
inline constexpr int kCallOutcomeCount = 5;
std::string_view nameOf(CallOutcome o);
std::optional<CallOutcome> parseCallOutcome(std::string_view text);

// One call, in the units replay uses: nanoseconds from the recording's start.
struct RecordedCall {
    std::int64_t atNs = 0;      // arrival
    std::int64_t latencyNs = 0; // the call completes at atNs + latencyNs
    std::uint32_t service = 0;  // index into Recording::services
    CallOutcome outcome = CallOutcome::Success;
};

inline constexpr int kRecordingVersion = 1;

struct RecordingHeader {
    int version = kRecordingVersion;
    std::int64_t startWallMs = 0; // when the recording started (Unix ms); 0 when unknown
    std::int64_t startEngineNs = 0; // the live engine's clock then; 0 when unknown
    std::string source;           // "proxy", "import nginx", …
    std::string configName;       // the configuration in force, as a file name
    std::string config;           // its YAML text; empty when unknown
    std::string policyEdits;      // live edits in force then, as a policy overlay (YAML); often empty
};

struct Recording {
    RecordingHeader header;
    bool hasHeader = false;
    std::vector<std::string> services; // in order of first appearance
    std::vector<RecordedCall> calls;    // by arrival time; equal times keep the file's order

    // Where the last call completes: the end of the recording's time.
    std::int64_t endNs() const;
    std::optional<std::uint32_t> serviceIndex(std::string_view name) const;
};

} // namespace bb::record
