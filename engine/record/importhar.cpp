// HAR 1.2 files as browsers save them: one request per entry, its start,
// total time, method, URL, status and size. A status of 0 means no answer:
// a failure, unless the browser itself gave up on the request (aborted or
// blocked), which the upstream is not to blame for.
#include "importer.h"
#include "logfields.h"

#include <simdjson.h>

namespace bb::record {

namespace {
std::string_view stringAt(simdjson::dom::element e, const char *pointer)
{
    std::string_view out;
    return e.at_pointer(pointer).get(out) ? std::string_view() : out;
}

std::optional<double> numberAt(simdjson::dom::element e, const char *pointer)
{
    double out = 0;
    if (e.at_pointer(pointer).get(out))
        return std::nullopt;
    return out;
}
} // namespace

void readHar(const std::string &text, const LogReader &reader)
{
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (const auto error = parser.parse(text).get(root)) {
        reader.malformed(0, std::string("the file is not JSON (") + simdjson::error_message(error) + ")");
        return;
    }
    simdjson::dom::array entries;
    if (root.at_pointer("/log/entries").get(entries)) {
        reader.malformed(0, "the file has no log.entries array: not a HAR file");
        return;
    }
    std::uint64_t number = 0;
    const double total = double(entries.size());
    for (simdjson::dom::element entry : entries) {
        ++number;
        if (reader.progress && number % 4096 == 0)
            reader.progress(double(number) / total);
        LoggedRequest r;
        r.line = number;
        const auto started = parseIsoTime(stringAt(entry, "/startedDateTime"));
        const auto time = numberAt(entry, "/time");
        const auto status = numberAt(entry, "/response/status");
        r.method = std::string(stringAt(entry, "/request/method"));
        const std::string_view url = stringAt(entry, "/request/url");
        if (!started || !time || *time < 0 || !status || r.method.empty() ||
            !splitUrl(url, &r.host, &r.authority, &r.target)) {
            reader.malformed(number, !started ? "startedDateTime is not an ISO 8601 time"
                                     : !time || *time < 0 ? "time is not a number of milliseconds"
                                     : !status ? "response.status is missing"
                                               : "request.method or request.url is missing or not a URL");
            continue;
        }
        r.arrivalMs = *started;
        r.latencyMs = *time;
        r.status = int(*status);
        const auto size = numberAt(entry, "/response/content/size");
        const auto bodySize = numberAt(entry, "/response/bodySize");
        r.bytes = std::uint64_t(std::max(0.0, bodySize && *bodySize > 0 ? *bodySize : size.value_or(0)));
        const std::string_view address = stringAt(entry, "/serverIPAddress");
        if (!address.empty()) {
            const auto port = r.authority.find(':', r.authority.find(']') == std::string::npos ? 0 : r.authority.find(']'));
            const std::string portText = port == std::string::npos ? (url.starts_with("https") ? "443" : "80")
                                                                   : r.authority.substr(port + 1);
            // An IPv6 address goes in brackets, as upstream addresses are written.
            const bool v6 = address.find(':') != std::string_view::npos;
            std::string upstream;
            if (v6)
                upstream += '[';
            upstream += address;
            if (v6)
                upstream += ']';
            upstream += ':';
            upstream += portText;
            r.upstream = std::move(upstream);
        }
        if (r.status == 0) {
            const std::string_view error = stringAt(entry, "/response/_error");
            const bool browserGaveUp = error.find("ABORTED") != std::string_view::npos ||
                                       error.find("BLOCKED") != std::string_view::npos;
            r.outcome = browserGaveUp ? CallOutcome::Ignored : CallOutcome::Failure;
        }
        reader.request(std::move(r));
    }
}

} // namespace bb::record
