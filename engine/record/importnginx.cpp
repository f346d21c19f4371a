// nginx access logs: the combined format followed by $request_time and
// $upstream_response_time, then optionally $upstream_addr, $msec and
// "$host" (the README gives the log_format line). Without $msec, times are
// those of $time_local: to the second.
#include "importer.h"
#include "logfields.h"

namespace bb::record {

namespace {
// "0.001, 0.002" and "a : b" were split at their spaces: put them together.
std::vector<std::string_view> joinLists(const std::vector<std::string_view> &fields, std::string_view line)
{
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string_view f = fields[i];
        while (i + 1 < fields.size() && (f.ends_with(',') || fields[i + 1] == ":" || f.ends_with(" :"))) {
            const std::string_view next = fields[++i];
            f = line.substr(std::size_t(f.data() - line.data()), std::size_t(next.data() + next.size() - f.data()));
        }
        out.push_back(f);
    }
    return out;
}

bool looksLikeAddress(std::string_view f) { return f == "-" || f.find(':') != std::string_view::npos; }
} // namespace

void readNginxLog(std::string_view text, const LogReader &reader)
{
    bool timesToTheSecond = false;
    forEachLine(text, [&](std::uint64_t number, std::string_view line) {
        if (line.empty())
            return;
        const auto split = logFields(line);
        if (!split) {
            reader.malformed(number, "a quote or bracket is not closed");
            return;
        }
        const std::vector<std::string_view> f = joinLists(*split, line);
        // remote_addr - remote_user [time] "request" status bytes "referer" "agent" rt urt ...
        if (f.size() < 11) {
            reader.malformed(number, "not the combined format with $request_time $upstream_response_time");
            return;
        }
        LoggedRequest r;
        r.line = number;
        const auto logged = parseCommonLogTime(f[3]);
        const auto status = parseNumber(f[5]);
        const auto bytes = parseNumber(f[6]);
        const auto requestTime = parseNumber(f[9]);
        if (!logged || !status || !bytes || !requestTime || *requestTime < 0) {
            reader.malformed(number, !logged ? "the time is not [dd/Mon/yyyy:hh:mm:ss zone]"
                                             : !requestTime || *requestTime < 0 ? "$request_time is not a number of seconds"
                                                                                : "the status or size is not a number");
            return;
        }
        if (!splitRequestLine(unescapeNginx(f[4]), &r.method, &r.target)) {
            reader.malformed(number, "the request is not \"METHOD /path PROTOCOL\"");
            return;
        }
        r.status = int(*status);
        r.bytes = std::uint64_t(*bytes);
        r.latencyMs = *requestTime * 1000.0;
        std::size_t next = 11;
        if (next < f.size() && looksLikeAddress(f[next]))
            r.upstream = std::string(f[next++] == "-" ? "" : f[next - 1]);
        std::optional<double> endMs;
        if (next < f.size()) {
            if (const auto msec = parseNumber(f[next]); msec && *msec > 1e8) {
                endMs = *msec * 1000.0;
                ++next;
            }
        }
        if (next < f.size() && f[next] != "-") {
            r.authority = std::string(f[next]);
            r.host = hostOf(r.authority);
        }
        if (!endMs) {
            endMs = *logged;
            timesToTheSecond = true;
        }
        r.arrivalMs = *endMs - r.latencyMs;
        // nginx's own words: 504 is its upstream timing out, 499 a client
        // that went away before the answer.
        if (r.status == 504)
            r.outcome = CallOutcome::Timeout;
        else if (r.status == 499)
            r.outcome = CallOutcome::Ignored;
        reader.request(std::move(r));
    }, reader.progress);
    if (timesToTheSecond)
        reader.note("the log has no $msec: arrival times are to the second (add $msec to log_format for milliseconds)");
}

} // namespace bb::record
