// Which service a request belongs to, and everything the proxy keeps per
// service: its configuration, breaker, bulkhead, cache and counters. One
// immutable table per configuration, shared by all workers.
#pragma once

#include "bulkhead.h"
#include "responsecache.h"
#include "servicecounters.h"
#include "upstreamtls.h"

#include "config/routechoice.h"
#include "config/serviceconfig.h"
#include "core/engine.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bb::proxy {

struct ServiceRuntime {
    explicit ServiceRuntime(ServiceConfig c, std::shared_ptr<CircuitBreaker> b);
    const ServiceConfig config;
    const std::optional<UpstreamEndpoint> upstream; // config's upstream with its tls:
    const std::shared_ptr<CircuitBreaker> breaker;
    Bulkhead bulkhead;
    ResponseCache cache;
    ServiceCounters counters;
};

struct RouteMatch {
    ServiceRuntime *service = nullptr;
    std::string upstreamTarget; // the target to send upstream
};

class RouteTable {
public:
    // Every configured service must have a breaker in the engine.
    RouteTable(const Configuration &config, Engine &engine);

    // host: the Host header without port; target: origin-form path and query.
    RouteMatch match(std::string_view host, std::string_view target) const;
    ServiceRuntime *service(std::string_view name) const;
    const std::vector<std::shared_ptr<ServiceRuntime>> &services() const { return m_services; }
    // The services whose fallback is the cache (config.name, cache), in
    // configuration order: what instances share through shared state.
    std::vector<ServiceRuntime *> cachedServices() const;
    // Does this host name belong to a configured service (for absolute-form targets)?
    bool servesHost(std::string_view host) const;

private:
    std::vector<std::shared_ptr<ServiceRuntime>> m_services;
    std::vector<const ServiceConfig *> m_configs; // the services' configurations, in the same order
};

} // namespace bb::proxy
