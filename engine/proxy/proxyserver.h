// The reverse proxy: N workers, each with its own event loop and listening
// socket on one shared port, in front of the services of one configuration.
#pragma once

#include "proxyoptions.h"
#include "routetable.h"
#include "servicecounters.h"

#include <QObject>
#include <QString>

#include <memory>
#include <vector>

class QThread;

namespace bb::proxy {

class ProxyWorker;

class ProxyServer {
public:
    ProxyServer(Engine &engine, std::shared_ptr<const RouteTable> routes, ProxyOptions options);
    ~ProxyServer();
    ProxyServer(const ProxyServer &) = delete;
    ProxyServer &operator=(const ProxyServer &) = delete;

    // Binds and starts the workers. On failure says why ("127.0.0.1:8080:
    // address already in use") and leaves nothing running.
    bool start(QString *error);
    // Stops accepting, lets exchanges under way finish (up to grace), then
    // closes every connection and stops the workers.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));

    quint16 port() const { return m_port; }
    QString address() const;
    const ProxyCounters &counters() const { return m_counters; }
    int workerCount() const { return int(m_workers.size()); }

private:
    Engine &m_engine;
    std::shared_ptr<const RouteTable> m_routes;
    ProxyOptions m_options;
    ProxyCounters m_counters;
    quint16 m_port = 0;
    std::vector<QThread *> m_threads;
    std::vector<ProxyWorker *> m_workers;
};

} // namespace bb::proxy
