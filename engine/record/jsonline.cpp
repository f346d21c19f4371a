#include "jsonline.h"

#include <charconv>
#include <cmath>
#include <cstdio>
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

void JsonObject::key(std::string_view name)
{
    if (!m_first)
        m_out += ',';
    m_first = false;
    appendJsonString(m_out, name);
    m_out += ':';
}

JsonObject &JsonObject::text(std::string_view name, std::string_view value)
{
    key(name);
    appendJsonString(m_out, value);
    return *this;
}

JsonObject &JsonObject::integer(std::string_view name, std::int64_t value)
{
    key(name);
    appendJsonInteger(m_out, value);
    return *this;
}

JsonObject &JsonObject::number(std::string_view name, double value)
{
    key(name);
    appendJsonNumber(m_out, value);
    return *this;
}

JsonObject &JsonObject::flag(std::string_view name, bool value)
{
    key(name);
    m_out += value ? "true" : "false";
    return *this;
}

JsonObject JsonObject::object(std::string_view name)
{
    key(name);
    return JsonObject(m_out);
}

void appendRequestLine(std::string &out, const RequestLine &line)
{
    JsonObject o(out);
    o.number("t", line.tMs).text("service", line.service).text("outcome", nameOf(line.outcome));
    o.number("latency_ms", line.latencyMs);
    if (!line.method.empty())
        o.text("method", line.method);
    if (!line.path.empty())
        o.text("path", line.path);
    if (line.status > 0)
        o.integer("status", line.status);
    if (!line.upstream.empty())
        o.text("upstream", line.upstream);
    o.integer("bytes", std::int64_t(line.bytes));
    o.close();
    out += '\n';
}

std::string headerLine(const RecordingHeader &header)
{
    std::string out;
    JsonObject o(out);
    o.integer("breakerboard_recording", header.version).integer("start_wall_ms", header.startWallMs);
    if (header.startWallMs > 0) {
        const std::time_t seconds = std::time_t(header.startWallMs / 1000);
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char text[40];
        const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
        std::snprintf(text + n, sizeof text - n, ".%03dZ", int(header.startWallMs % 1000));
        o.text("start_time", text);
    }
    if (header.startEngineNs > 0)
        o.integer("start_engine_ns", header.startEngineNs);
    o.text("source", header.source);
    if (!header.configName.empty())
        o.text("config_name", header.configName);
    o.text("config", header.config);
    if (!header.policyEdits.empty())
        o.text("policy_edits", header.policyEdits);
    o.close();
    out += '\n';
    return out;
}

} // namespace bb::record
