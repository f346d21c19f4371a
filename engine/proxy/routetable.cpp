#include "routetable.h"

#include <stdexcept>

namespace bb::proxy {

ServiceRuntime::ServiceRuntime(ServiceConfig c, std::shared_ptr<CircuitBreaker> b)
    : config(std::move(c))
    , upstream(config.upstream ? std::optional(upstreamEndpoint(*config.upstream, config.tls)) : std::nullopt)
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
        m_configs.push_back(&m_services.back()->config);
    }
}

RouteMatch RouteTable::match(std::string_view host, std::string_view target) const
{
    RouteMatch best;
    const auto choice = chooseRoute(m_configs, host, target);
    if (!choice)
        return best;
    best.service = m_services[choice->service].get();
    const RouteRule *bestRule = choice->rule;
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

std::vector<ServiceRuntime *> RouteTable::cachedServices() const
{
    std::vector<ServiceRuntime *> cached;
    for (const auto &s : m_services) {
        if (s->config.fallback.strategy == FallbackStrategy::Cache)
            cached.push_back(s.get());
    }
    return cached;
}

bool RouteTable::servesHost(std::string_view host) const { return routesHost(m_configs, host); }

} // namespace bb::proxy
