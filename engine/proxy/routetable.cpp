#include "routetable.h"

#include <stdexcept>

namespace bb::proxy {

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

ServiceRuntime::ServiceRuntime(ServiceConfig c, std::shared_ptr<CircuitBreaker> b)
    : config(std::move(c))
    , breaker(std::move(b))
    , bulkhead(config.bulkhead.maxConcurrent, config.bulkhead.maxQueue)
    , cache(config.fallback.cacheTtl, config.fallback.cacheMaxEntries, config.fallback.cacheMaxBytes)
{
}

RouteTable::RouteTable(const Configuration &config, Engine &engine)
{
    for (const auto &s : config.services) {
        auto breaker = engine.breaker(s.name);
        if (!breaker)
            throw std::invalid_argument("no breaker for service " + s.name);
        m_services.push_back(std::make_shared<ServiceRuntime>(s, std::move(breaker)));
    }
}

RouteMatch RouteTable::match(std::string_view host, std::string_view target) const
{
    RouteMatch best;
    std::size_t bestLength = 0;
    const RouteRule *bestRule = nullptr;
    for (const auto &s : m_services) {
        for (const auto &r : s->config.routes) {
            if (!r.host.empty() && iequal(r.host, host) && !best.service) {
                best.service = s.get();
                bestRule = &r;
            } else if (!r.pathPrefix.empty() && prefixMatches(r.pathPrefix, target) &&
                       r.pathPrefix.size() + 1 > bestLength) {
                // The longest prefix wins over shorter ones and over a host route.
                best.service = s.get();
                bestLength = r.pathPrefix.size() + 1;
                bestRule = &r;
            }
        }
    }
    if (!best.service)
        return best;
    const std::string &base = best.service->config.upstream ? best.service->config.upstream->basePath : std::string();
    std::string_view rest = target;
    // With a base path, the matched prefix is replaced by it (as nginx's
    // proxy_pass with a URI does); without one the path goes up unchanged.
    if (!base.empty() && bestRule && !bestRule->pathPrefix.empty())
        rest = target.substr(bestRule->pathPrefix.size());
    best.upstreamTarget = base;
    if (!base.empty() && base.back() == '/' && !rest.empty() && rest.front() == '/')
        rest.remove_prefix(1);
    else if (!base.empty() && base.back() != '/' && !rest.empty() && rest.front() != '/' && rest.front() != '?')
        best.upstreamTarget += '/';
    best.upstreamTarget += rest;
    if (best.upstreamTarget.empty() || best.upstreamTarget.front() != '/')
        best.upstreamTarget.insert(best.upstreamTarget.begin(), '/');
    return best;
}

ServiceRuntime *RouteTable::service(std::string_view name) const
{
    for (const auto &s : m_services) {
        if (s->config.name == name)
            return s.get();
    }
    return nullptr;
}

bool RouteTable::servesHost(std::string_view host) const
{
    for (const auto &s : m_services) {
        for (const auto &r : s->config.routes) {
            if (!r.host.empty() && iequal(r.host, host))
                return true;
        }
    }
    return false;
}

} // namespace bb::proxy
