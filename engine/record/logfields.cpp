#include "logfields.h"

#include <charconv>
#include <cmath>
#include <ctime>

namespace bb::record {

std::optional<std::vector<std::string_view>> logFields(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size()) {
        if (line[i] == ' ') {
            ++i;
            continue;
        }
        if (line[i] == '"' || line[i] == '[') {
            const char close = line[i] == '"' ? '"' : ']';
            std::size_t j = i + 1;
            while (j < line.size() && line[j] != close)
                j += (line[j] == '\\' && close == '"') ? 2 : 1;
            if (j >= line.size())
                return std::nullopt;
            fields.push_back(line.substr(i + 1, j - i - 1));
            i = j + 1;
            continue;
        }
        const std::size_t end = std::min(line.find(' ', i), line.size());
        fields.push_back(line.substr(i, end - i));
        i = end;
    }
    return fields;
}

std::string unescapeNginx(std::string_view field)
{
    std::string out;
    out.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 1 < field.size() && field[i + 1] == 'x' && i + 3 < field.size()) {
            unsigned value = 0;
            const auto r = std::from_chars(field.data() + i + 2, field.data() + i + 4, value, 16);
            if (r.ec == std::errc() && r.ptr == field.data() + i + 4) {
                out += char(value);
                i += 3;
                continue;
            }
        }
        if (field[i] == '\\' && i + 1 < field.size() && (field[i + 1] == '"' || field[i + 1] == '\\'))
            ++i;
        out += field[i];
    }
    return out;
}

std::optional<double> parseNumber(std::string_view text)
{
    double value = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

namespace {
bool digits(std::string_view text, std::size_t at, std::size_t count, int *out)
{
    if (at + count > text.size())
        return false;
    int v = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
}

std::optional<double> unixMs(int year, int month, int day, int hour, int minute, int second, double fraction,
                             int offsetMinutes)
{
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    std::tm t{};
    t.tm_year = year - 1900;
    t.tm_mon = month - 1;
    t.tm_mday = day;
    t.tm_hour = hour;
    t.tm_min = minute;
    t.tm_sec = second;
    const std::time_t seconds = timegm(&t);
    return (double(seconds) - offsetMinutes * 60.0 + fraction) * 1000.0;
}

// "+01:00", "-0700", "Z" → minutes east of UTC.
std::optional<int> zoneOffset(std::string_view zone)
{
    if (zone == "Z" || zone.empty())
        return 0;
    int hours = 0, minutes = 0;
    const bool colon = zone.size() == 6 && zone[3] == ':';
    if ((zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2, &hours) ||
        !digits(zone, colon ? 4 : 3, 2, &minutes) || zone.size() != (colon ? 6u : 5u))
        return std::nullopt;
    return (zone[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}
} // namespace

std::optional<double> parseCommonLogTime(std::string_view text)
{
    static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int day = 0, year = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 26 || text[2] != '/' || text[6] != '/' || text[11] != ':' || text[20] != ' ' ||
        !digits(text, 0, 2, &day) || !digits(text, 7, 4, &year) || !digits(text, 12, 2, &hour) ||
        !digits(text, 15, 2, &minute) || !digits(text, 18, 2, &second))
        return std::nullopt;
    const auto month = kMonths.find(text.substr(3, 3));
    const auto zone = zoneOffset(text.substr(21));
    if (month == std::string_view::npos || month % 3 != 0 || !zone)
        return std::nullopt;
    return unixMs(year, int(month / 3) + 1, day, hour, minute, second, 0, *zone);
}

std::optional<double> parseIsoTime(std::string_view text)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') ||
        text[13] != ':' || text[16] != ':' || !digits(text, 0, 4, &year) || !digits(text, 5, 2, &month) ||
        !digits(text, 8, 2, &day) || !digits(text, 11, 2, &hour) || !digits(text, 14, 2, &minute) ||
        !digits(text, 17, 2, &second))
        return std::nullopt;
    std::size_t i = 19;
    double fraction = 0;
    if (i < text.size() && text[i] == '.') {
        double scale = 0.1;
        for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10)
            fraction += (text[i] - '0') * scale;
    }
    const auto zone = zoneOffset(text.substr(i));
    if (!zone)
        return std::nullopt;
    return unixMs(year, month, day, hour, minute, second, fraction, *zone);
}

bool splitRequestLine(std::string_view line, std::string *method, std::string *target)
{
    const auto first = line.find(' ');
    if (first == std::string_view::npos || first == 0)
        return false;
    const auto second = line.find(' ', first + 1);
    const std::string_view path = line.substr(first + 1, second == std::string_view::npos ? line.npos : second - first - 1);
    if (path.empty() || (path.front() != '/' && !path.starts_with("http")))
        return false;
    *method = std::string(line.substr(0, first));
    if (path.front() == '/') {
        *target = std::string(path);
        return true;
    }
    std::string host, authority;
    return splitUrl(path, &host, &authority, target);
}

bool splitUrl(std::string_view url, std::string *host, std::string *authority, std::string *target)
{
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos)
        return false;
    const std::string_view rest = url.substr(scheme + 3);
    const auto slash = rest.find_first_of("/?#");
    *authority = std::string(rest.substr(0, slash));
    *host = hostOf(*authority);
    std::string_view path = slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash);
    if (const auto hash = path.find('#'); hash != std::string_view::npos)
        path = path.substr(0, hash);
    *target = path.empty() || path.front() != '/' ? "/" + std::string(path) : std::string(path);
    return !host->empty();
}

std::string hostOf(std::string_view authority)
{
    if (const auto at = authority.rfind('@'); at != std::string_view::npos)
        authority.remove_prefix(at + 1);
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        return std::string(authority.substr(1, close == std::string_view::npos ? authority.npos : close - 1));
    }
    return std::string(authority.substr(0, authority.find(':')));
}

} // namespace bb::record
