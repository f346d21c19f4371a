#include "serviceconfig.h"

#include <utility>

#include <array>
#include <charconv>

namespace bb {

std::string_view nameOf(FallbackStrategy s)
{
    static constexpr std::array<std::string_view, kFallbackStrategyCount> names = {"none", "default", "cache", "alternative_service"};
    return names[std::size_t(s)];
}

namespace {
bool inAny(const std::vector<StatusRange> &ranges, int status)
{
    for (const auto &r : ranges) {
        if (r.contains(status))
            return true;
    }
    return false;
}
} // namespace

bool ServiceConfig::isFailureStatus(int status) const { return inAny(failureStatuses, status); }
bool ServiceConfig::isIgnoredStatus(int status) const { return inAny(ignoredStatuses, status); }

ServiceConfig *Configuration::service(std::string_view name)
{
    return const_cast<ServiceConfig *>(std::as_const(*this).service(name));
}

const ServiceConfig *Configuration::service(std::string_view name) const
{
    for (const auto &s : services) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

void installConfiguration(const Configuration &config, Engine &engine)
{
    for (const auto &s : config.services)
        engine.addBreaker(s.name, s.policy);
    for (const auto &g : config.groups)
        engine.addGroup(g.name, g.members, g.thresholdPercent);
}

std::optional<UpstreamUrl> parseUpstreamUrl(const std::string &text, std::string *error)
{
    auto fail = [error](std::string message) -> std::optional<UpstreamUrl> {
        if (error)
            *error = std::move(message);
        return std::nullopt;
    };
    UpstreamUrl url;
    url.text = text;
    std::string rest;
    if (text.starts_with("http://"))
        rest = text.substr(7);
    else if (text.starts_with("https://"))
        rest = text.substr(8), url.tls = true;
    else
        return fail("upstream must be an http:// or https:// URL, got '" + text + "'");
    url.port = url.defaultPort();
    const auto slash = rest.find('/');
    if (slash != std::string::npos) {
        url.basePath = rest.substr(slash);
        rest = rest.substr(0, slash);
        if (url.basePath.find_first_of("?#") != std::string::npos)
            return fail("upstream URL may have a base path but no query or fragment: '" + text + "'");
    }
    std::string portText;
    if (!rest.empty() && rest.front() == '[') { // [::1]:8080
        const auto close = rest.find(']');
        if (close == std::string::npos)
            return fail("upstream URL has an unclosed IPv6 address: '" + text + "'");
        url.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':')
            portText = rest.substr(close + 2);
    } else {
        const auto colon = rest.rfind(':');
        url.host = rest.substr(0, colon);
        if (colon != std::string::npos)
            portText = rest.substr(colon + 1);
    }
    if (url.host.empty() || url.host.find_first_of("@ ") != std::string::npos)
        return fail("upstream URL needs a host: '" + text + "'");
    if (!portText.empty()) {
        int port = 0;
        const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc() || end != portText.data() + portText.size() || port < 1 || port > 65535)
            return fail("upstream URL has a bad port '" + portText + "': '" + text + "'");
        url.port = std::uint16_t(port);
    }
    return url;
}

} // namespace bb
