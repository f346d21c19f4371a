// Prometheus metrics of the engine and the proxy, with prometheus-cpp. Built
// at each scrape from a snapshot and the proxy's counters: nothing on the
// request path knows about Prometheus, and no metric is ever recreated.
// Names follow the seed (circuit_breaker_*, label circuit_breaker).
#pragma once

#include "core/engine.h"
#include "proxy/routetable.h"

#include <prometheus/collectable.h>

#include <functional>
#include <memory>
#include <string>

namespace bb::telemetry {

class MetricsCollector : public prometheus::Collectable {
public:
    // routes may be null (no proxy): then only engine figures are given.
    MetricsCollector(const Engine &engine, std::shared_ptr<const proxy::RouteTable> routes);

    std::vector<prometheus::MetricFamily> Collect() const override;
    // The exposition text of one scrape.
    std::string scrape() const;
    // With shared state: breakerboard_shared_state_connected (1 while the
    // link to Redis is up), read at each scrape.
    void setSharedStateConnected(std::function<bool()> connected) { m_sharedConnected = std::move(connected); }

private:
    const Engine &m_engine;
    std::shared_ptr<const proxy::RouteTable> m_routes;
    std::function<bool()> m_sharedConnected;
};

// The value of circuit_breaker_state: 0 closed, 1 open, 2 half-open (forced
// open counts as open; forced closed and disabled as closed).
double seedStateValue(BreakerState s);

} // namespace bb::telemetry
