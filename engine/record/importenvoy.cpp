// Envoy access logs in Envoy's default format:
// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
// %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
// %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
// "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
// The response flags say what the status alone cannot: timeouts, upstream
// connection failures, Envoy's own circuit breaking and rate limits.
#include "importer.h"
#include "logfields.h"

namespace bb::record {

namespace {
// The outcome the flags give, if any ("-" or flags of no concern: none).
std::optional<CallOutcome> outcomeOfFlags(std::string_view flags)
{
    std::optional<CallOutcome> outcome;
    while (!flags.empty()) {
        const auto comma = flags.find(',');
        const std::string_view flag = flags.substr(0, comma);
        // Timeouts: the upstream request, or the stream's duration.
        if (flag == "UT" || flag == "DT")
            return CallOutcome::Timeout;
        // The upstream failed: connection failure or termination, no healthy
        // host, retries used up, protocol error.
        if (flag == "UF" || flag == "UC" || flag == "UH" || flag == "URX" || flag == "UPE" || flag == "NC")
            outcome = CallOutcome::Failure;
        // Never reached the upstream: Envoy's circuit breaking (overflow),
        // rate limits, authorization: no upstream outcome is known.
        else if (!outcome && (flag == "UO" || flag == "RL" || flag == "RLSE" || flag == "UAEX" || flag == "LR"))
            outcome = CallOutcome::Rejected;
        // The client went away: the upstream is not to blame.
        else if (!outcome && flag == "DC")
            outcome = CallOutcome::Ignored;
        if (comma == std::string_view::npos)
            break;
        flags.remove_prefix(comma + 1);
    }
    return outcome;
}
} // namespace

void readEnvoyLog(std::string_view text, const LogReader &reader)
{
    forEachLine(text, [&](std::uint64_t number, std::string_view line) {
        if (line.empty())
            return;
        const auto f = logFields(line);
        if (!f) {
            reader.malformed(number, "a quote or bracket is not closed");
            return;
        }
        if (f->size() < 13) {
            reader.malformed(number, "not Envoy's default access-log format");
            return;
        }
        const auto &v = *f;
        LoggedRequest r;
        r.line = number;
        const auto start = parseIsoTime(v[0]);
        const auto status = parseNumber(v[2]);
        const auto sent = parseNumber(v[5]);
        const auto duration = parseNumber(v[6]);
        if (!start || !status || !sent || !duration || *duration < 0) {
            reader.malformed(number, !start ? "the start time is not an ISO 8601 time"
                                            : "the status, size or duration is not a number");
            return;
        }
        if (!splitRequestLine(v[1], &r.method, &r.target)) {
            reader.malformed(number, "the request is not \"METHOD /path PROTOCOL\"");
            return;
        }
        if (v[3] == "NR") {
            reader.malformed(number, "Envoy found no route for it (NR)");
            return;
        }
        r.arrivalMs = *start;
        r.status = int(*status);
        r.bytes = std::uint64_t(*sent);
        r.latencyMs = *duration;
        if (v[11] != "-") {
            r.authority = std::string(v[11]);
            r.host = hostOf(r.authority);
        }
        if (v[12] != "-")
            r.upstream = std::string(v[12]);
        r.outcome = outcomeOfFlags(v[3]);
        reader.request(std::move(r));
    }, reader.progress);
}

} // namespace bb::record
