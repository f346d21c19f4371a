// Reading access-log lines as fields: words separated by spaces, "quoted
// strings" (with \" inside) and [bracketed times]; and the time formats
// those logs use. For line-oriented logs, not for HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bb::record {

// Splits one log line; nullopt when a quote or bracket is left open.
std::optional<std::vector<std::string_view>> logFields(std::string_view line);
// nginx's \xHH and \" escapes in quoted fields, undone.
std::string unescapeNginx(std::string_view field);
// "10/Oct/2000:13:55:36 -0700" → Unix milliseconds.
std::optional<double> parseCommonLogTime(std::string_view text);
// "2016-04-15T20:17:00.310Z", "2023-01-05T10:11:12.345+01:00" → Unix milliseconds.
std::optional<double> parseIsoTime(std::string_view text);
std::optional<double> parseNumber(std::string_view text);
// "GET /path HTTP/1.1" → method and target.
bool splitRequestLine(std::string_view line, std::string *method, std::string *target);
// "http://host:port/path?q" → host, authority and target.
bool splitUrl(std::string_view url, std::string *host, std::string *authority, std::string *target);
// "host:port" or "[::1]:port" → host.
std::string hostOf(std::string_view authority);
// Calls line(number, text) for every line of text, without line ends, and
// progress(fraction) every 65536 lines when there is one.
template <typename F, typename P> void forEachLine(std::string_view text, F &&line, const P &progress)
{
    std::uint64_t number = 0;
    const std::size_t total = text.size();
    while (!text.empty()) {
        if (progress && number % 65536 == 65535)
            progress(double(total - text.size()) / double(total));
        const auto end = text.find('\n');
        std::string_view one = text.substr(0, end);
        if (!one.empty() && one.back() == '\r')
            one.remove_suffix(1);
        line(++number, one);
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
}

} // namespace bb::record
