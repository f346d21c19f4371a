// libFuzzer harness: a recording's text (JSON Lines), read as replay reads a
// file (parseRecording). Checks what replay relies on: every line counted,
// skipped ones counted and listed, calls in time order with times and
// latencies in range, every call's service named once.
// Input: the whole file, as it is.
#include "fuzzing.h"

#include "record/recordingreader.h"

#include <algorithm>
#include <set>
#include <string>

using namespace bb;
using namespace bb::record;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const LoadResult result = parseRecording(text);
    fuzz::check(result.recording.has_value(), "text was not read at all", result.error);
    const Recording &recording = *result.recording;
    const LineReport &report = result.report;

    const auto newlines = std::uint64_t(std::count(text.begin(), text.end(), '\n'));
    const std::uint64_t lines = newlines + (!text.empty() && text.back() != '\n' ? 1 : 0);
    fuzz::check(report.lines == lines, "not every line was counted",
                std::to_string(report.lines) + " != " + std::to_string(lines));
    fuzz::check(report.malformed <= report.lines, "more lines skipped than read");
    fuzz::check(report.first.size() == std::min<std::uint64_t>(report.malformed, LineReport::kListed),
                "the skipped lines listed do not match the count");
    for (const auto &issue : report.first)
        fuzz::check(issue.line >= 1 && issue.line <= report.lines && !issue.message.empty(),
                    "a skipped line without a place or a reason", issue.message);
    if (report.cutOffLine)
        fuzz::check(*report.cutOffLine == report.lines && !text.empty() && text.back() != '\n',
                    "a line in the middle was taken for cut off");
    fuzz::check(recording.calls.size() + report.malformed <= report.lines, "more calls than lines");

    const std::set<std::string> names(recording.services.begin(), recording.services.end());
    fuzz::check(names.size() == recording.services.size(), "a service is named twice");
    for (const auto &name : recording.services)
        fuzz::check(!name.empty(), "a service without a name");
    std::int64_t last = 0;
    for (const RecordedCall &call : recording.calls) {
        fuzz::check(call.service < recording.services.size(), "a call's service is not in the list");
        fuzz::check(call.atNs >= last, "calls are not in time order");
        fuzz::check(call.atNs >= 0 && call.atNs <= std::int64_t(1e17), "a call's time is out of range");
        fuzz::check(call.latencyNs >= 0 && call.latencyNs <= std::int64_t(1e15), "a call's latency is out of range");
        last = call.atNs;
    }
    fuzz::check(recording.endNs() >= last, "the recording ends before its last call");
    (void)report.warnings();
    return 0;
}
