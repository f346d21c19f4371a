#include "jsonline.h"

#include <charconv>
#include <cmath>
#include <ctime>

namespace bb::record {

void appendJsonString(std::string &out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            out += "\\u00";
            out += kHex[u >> 4];
            out += kHex[u & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
}

void appendJsonInteger(std::string &out, std::int64_t value)
{
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendJsonNumber(std::string &out, double value)
{
    if (!std::isfinite(value))
        value = 0;
    // Thousandths, as an integer and a fraction: exact, and no locale.
    const std::int64_t thousandths = std::llround(value * 1000.0);
    const std::int64_t whole = thousandths / 1000;
    std::int64_t fraction = std::abs(thousandths % 1000);
    if (thousandths < 0 && whole == 0)
        out += '-';
    appendJsonInteger(out, whole);
    if (fraction == 0)
        return;
    char digits[4] = {char('0' + fraction / 100), char('0' + fraction / 10 % 10), char('0' + fraction % 10), 0};
    int length = 3;
    while (digits[length - 1] == '0')
        --length;
    out += '.';
    out.append(digits, std::size_t(length));
}

void appendRequestLine(std::string &out, const RequestLine &line)
{
    out += "{\"t\":";
    appendJsonNumber(out, line.tMs);
    out += ",\"service\":";
    appendJsonString(out, line.service);
    out += ",\"outcome\":\"";
    out += nameOf(line.outcome);
    out += "\",\"latency_ms\":";
    appendJsonNumber(out, line.latencyMs);
    if (!line.method.empty()) {
        out += ",\"method\":";
        appendJsonString(out, line.method);
    }
    if (!line.path.empty()) {
        out += ",\"path\":";
        appendJsonString(out, line.path);
    }
    if (line.status > 0) {
        out += ",\"status\":";
        appendJsonInteger(out, line.status);
    }
    if (!line.upstream.empty()) {
        out += ",\"upstream\":";
        appendJsonString(out, line.upstream);
    }
    out += ",\"bytes\":";
    appendJsonInteger(out, std::int64_t(line.bytes));
    out += "}\n";
}

std::string headerLine(const RecordingHeader &header)
{
    std::string out = "{\"breakerboard_recording\":";
    appendJsonInteger(out, header.version);
    out += ",\"start_wall_ms\":";
    appendJsonInteger(out, header.startWallMs);
    if (header.startWallMs > 0) {
        const std::time_t seconds = std::time_t(header.startWallMs / 1000);
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char text[32];
        std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
        std::string iso = text;
        char millis[8];
        std::snprintf(millis, sizeof millis, ".%03dZ", int(header.startWallMs % 1000));
        iso += millis;
        out += ",\"start_time\":";
        appendJsonString(out, iso);
    }
    if (header.startEngineNs > 0) {
        out += ",\"start_engine_ns\":";
        appendJsonInteger(out, header.startEngineNs);
    }
    out += ",\"source\":";
    appendJsonString(out, header.source);
    if (!header.configName.empty()) {
        out += ",\"config_name\":";
        appendJsonString(out, header.configName);
    }
    out += ",\"config\":";
    appendJsonString(out, header.config);
    if (!header.policyEdits.empty()) {
        out += ",\"policy_edits\":";
        appendJsonString(out, header.policyEdits);
    }
    out += "}\n";
    return out;
}

} // namespace bb::record
