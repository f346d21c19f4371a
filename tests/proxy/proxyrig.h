// A proxy under test: an engine on a manual clock (breaker waits move only
// when the test says so), services configured in code, the proxy on a free
// loopback port with two workers.
#pragma once

#include "httpclient.h"
#include "testupstream.h"

#include "core/engine.h"
#include "core/manualclock.h"
#include "proxy/proxyserver.h"

#include <QTest>

namespace bb::testing {

// A service routed at /NAME to upstream, judged by a 10-call count window.
inline ServiceConfig service(const std::string &name, const QString &upstream)
{
    ServiceConfig s;
    s.name = name;
    s.routes = {{"/" + name, ""}};
    if (!upstream.isEmpty())
        s.upstream = parseUpstreamUrl(upstream.toStdString(), nullptr);
    s.policy.windowType = WindowType::Count;
    s.policy.windowSize = 10;
    s.policy.minimumCalls = 4;
    s.policy.failureRateThreshold = 50;
    s.policy.waitDuration = std::chrono::seconds(30);
    s.policy.halfOpenPermittedCalls = 2;
    s.policy.halfOpenSuccessThreshold = 2;
    s.timeout = std::chrono::milliseconds(1000);
    return s;
}

// One service "a" routed at /a to upstream with the base path given.
inline Configuration oneService(const TestUpstream &up, const QString &base = QStringLiteral("/"))
{
    Configuration c;
    c.services.push_back(service("a", up.url() + base));
    return c;
}

struct ProxyRig {
    explicit ProxyRig(Configuration c, proxy::ProxyLimits limits = {}, proxy::HostLookup hostLookup = {})
        : config(std::move(c))
    {
        installConfiguration(config, engine);
        routes = std::make_shared<const proxy::RouteTable>(config, engine);
        proxy::ProxyOptions options;
        options.port = 0;
        options.workers = 2;
        options.limits = limits;
        options.hostLookup = std::move(hostLookup);
        server = std::make_unique<proxy::ProxyServer>(engine, routes, options);
        QString error;
        if (!server->start(&error))
            qFatal("proxy did not start: %s", qPrintable(error));
    }
    ~ProxyRig() { server->stop(std::chrono::milliseconds(1000)); }

    quint16 port() const { return server->port(); }
    proxy::ServiceCounters &counters(const std::string &name) { return routes->service(name)->counters; }
    CircuitBreaker &breaker(const std::string &name) { return *engine.breaker(name); }
    // Outcomes counted for a service, once there are expected of them (or
    // after 5 s): a worker counts an exchange just after its answer is out.
    std::uint64_t counted(const std::string &name, std::uint64_t expected)
    {
        // The caller compares the count; a wait that ran out shows there.
        static_cast<void>(QTest::qWaitFor([&] { return counters(name).total() >= expected; }, 5000));
        return counters(name).total();
    }

    ManualClock clock{TimePoint(std::chrono::seconds(1000))};
    Engine engine{clock, clock};
    Configuration config;
    std::shared_ptr<const proxy::RouteTable> routes;
    std::unique_ptr<proxy::ProxyServer> server;
};

} // namespace bb::testing
