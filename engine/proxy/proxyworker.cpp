#include "proxyworker.h"

#include "clientconnection.h"

#include <unistd.h>

namespace bb::proxy {

class ProxyWorker::Listener : public QTcpServer {
public:
    Listener(ProxyWorker &worker) : QTcpServer(&worker), m_worker(worker) {}

protected:
    void incomingConnection(qintptr descriptor) override { m_worker.accept(descriptor); }

private:
    ProxyWorker &m_worker;
};

ProxyWorker::ProxyWorker(Engine &engine, std::shared_ptr<const RouteTable> routes, const ProxyLimits &limits,
                         ProxyCounters &counters, HostLookup hostLookup)
    : m_limits(limits)
{
    m_context.engine = &engine;
    m_context.routes = std::move(routes);
    m_context.pool = new UpstreamPool(new HostResolver(engine.clock(), std::move(hostLookup), this), this);
    m_context.waiters = new BulkheadWaiters(this);
    m_context.deadlines = new Deadlines(this);
    m_context.limits = &m_limits;
    m_context.counters = &counters;
    m_context.activeExchanges = &m_active;
}

ProxyWorker::~ProxyWorker()
{
    // A copy: each connection's going takes it out of m_connections.
    const auto connections = m_connections;
    for (ClientConnection *c : connections)
        delete c;
}

void ProxyWorker::listenOn(qintptr descriptor)
{
    m_listener = new Listener(*this);
    m_listener->setMaxPendingConnections(1024);
    m_listener->setSocketDescriptor(descriptor);
}

void ProxyWorker::stopAccepting()
{
    if (m_listener)
        m_listener->close();
}

void ProxyWorker::drainConnections()
{
    const auto connections = m_connections;
    for (ClientConnection *c : connections)
        c->drain();
}

void ProxyWorker::setRecorder(record::Recorder::Lane *lane, TimePoint start)
{
    m_context.recorder = lane;
    m_context.recordingStart = start;
    ++m_context.recordingNumber;
}

void ProxyWorker::accept(qintptr descriptor)
{
    if (m_context.counters->connections.load(std::memory_order_relaxed) >= m_limits.maxConnections) {
        m_context.counters->connectionsRefused.fetch_add(1, std::memory_order_relaxed);
        ::close(int(descriptor));
        return;
    }
    ProxyWorker *fewest = this;
    for (ProxyWorker *peer : m_peers)
        if (peer->connectionCount() < fewest->connectionCount())
            fewest = peer;
    fewest->m_held.fetch_add(1, std::memory_order_relaxed);
    if (fewest == this)
        adopt(descriptor);
    else
        QMetaObject::invokeMethod(fewest, [fewest, descriptor] { fewest->adopt(descriptor); }, Qt::QueuedConnection);
}

// Counted in m_held already, by the worker that accepted it.
void ProxyWorker::adopt(qintptr descriptor)
{
    auto *c = new ClientConnection(descriptor, m_context, this);
    m_connections.insert(c);
    connect(c, &QObject::destroyed, this, [this, c] {
        m_connections.remove(c);
        m_held.fetch_sub(1, std::memory_order_relaxed);
    });
}

} // namespace bb::proxy
