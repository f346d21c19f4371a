#include "routechoice.h"

#include <cctype>

namespace bb {

namespace {
bool iequal(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

// "/api" matches "/api", "/api/x" and "/api?q", not "/apix".
bool prefixMatches(std::string_view prefix, std::string_view path)
{
    if (path.substr(0, prefix.size()) != prefix)
        return false;
    if (path.size() == prefix.size() || prefix.back() == '/')
        return true;
    const char next = path[prefix.size()];
    return next == '/' || next == '?';
}
} // namespace

std::optional<RouteChoice> chooseRoute(const std::vector<const ServiceConfig *> &services, std::string_view host,
                                       std::string_view target)
{
    std::optional<RouteChoice> best;
    std::size_t bestLength = 0;
    for (std::size_t i = 0; i < services.size(); ++i) {
        for (const auto &r : services[i]->routes) {
            if (!r.host.empty() && iequal(r.host, host) && !best) {
                best = RouteChoice{i, &r};
            } else if (!r.pathPrefix.empty() && prefixMatches(r.pathPrefix, target) &&
                       r.pathPrefix.size() + 1 > bestLength) {
                best = RouteChoice{i, &r};
                bestLength = r.pathPrefix.size() + 1;
            }
        }
    }
    return best;
}

bool routesHost(const std::vector<const ServiceConfig *> &services, std::string_view host)
{
    for (const ServiceConfig *s : services) {
        for (const auto &r : s->routes) {
            if (!r.host.empty() && iequal(r.host, host))
                return true;
        }
    }
    return false;
}

} // namespace bb
