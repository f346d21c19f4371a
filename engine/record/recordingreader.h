// Reads a recording (JSON Lines) into memory for replay. Lines that are not
// a call are counted and named by line number, never dropped silently; a
// file cut off mid-line (the recorder was killed) is read up to its last
// complete line, with a warning.
#pragma once

#include "recording.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bb::record {

struct LineIssue {
    std::uint64_t line = 0; // 1-based
    std::string message;
};

// What went wrong with single lines: enough to find them in the file.
struct LineReport {
    static constexpr std::size_t kListed = 20;
    // What the numbers count: lines, or a HAR file's entries.
    std::string unit = "line";
    std::string units = "lines";
    std::uint64_t lines = 0;     // lines read, blank ones included
    std::uint64_t malformed = 0; // lines that were skipped
    std::vector<LineIssue> first; // the first kListed of them
    std::optional<std::uint64_t> cutOffLine; // the last line had no end and did not parse

    void add(std::uint64_t line, std::string message);
    // "3 malformed lines (line 4: …; line 9: …)" and the cut-off warning;
    // empty when every line was read.
    std::vector<std::string> warnings() const;
};

struct LoadResult {
    std::optional<Recording> recording; // nullopt: the file could not be read at all
    std::string error;                  // why, then
    LineReport report;
};

// done and total in bytes; called now and then while reading.
using LoadProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

LoadResult loadRecording(const std::string &path, const LoadProgress &progress = {});
LoadResult parseRecording(std::string_view text, const LoadProgress &progress = {});

} // namespace bb::record
