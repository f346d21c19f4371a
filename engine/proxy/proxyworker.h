// One proxy worker: its own thread and event loop, its own listening socket
// on the shared port (SO_REUSEPORT), its connections, upstream pool and
// resolver of upstream names. The kernel spreads new connections over the
// listening sockets by a hash of their addresses, unevenly (64 connections
// split 47 to 17 at times): a worker that accepts one while another worker
// holds fewer hands it over to the one holding the fewest, before anything
// is read from it.
#pragma once

#include "workercontext.h"

#include <QObject>
#include <QSet>
#include <QTcpServer>

#include <atomic>
#include <vector>

namespace bb::proxy {

class ClientConnection;

class ProxyWorker : public QObject {
    Q_OBJECT
public:
    ProxyWorker(Engine &engine, std::shared_ptr<const RouteTable> routes, const ProxyLimits &limits,
                ProxyCounters &counters, HostLookup hostLookup = {});
    ~ProxyWorker() override;

    // Run on the worker's thread.
    void listenOn(qintptr descriptor);
    void stopAccepting();
    void drainConnections();
    // nullptr stops recording; once this returns on the worker's thread, no
    // exchange of this worker touches the old lane again.
    void setRecorder(record::Recorder::Lane *lane, TimePoint start);
    // On the worker's thread: the TLS of the connections accepted from now on.
    void setTls(std::shared_ptr<const TlsServerContext> tls) { m_context.tls = std::move(tls); }
    // Exchanges under way; readable from any thread.
    int activeExchanges() const { return m_active.load(); }
    // Before its thread runs: the workers it hands connections over to.
    void setPeers(std::vector<ProxyWorker *> peers) { m_peers = std::move(peers); }
    // Client connections held, with those handed over to it on their way;
    // readable from any thread.
    int connectionCount() const { return m_held.load(std::memory_order_relaxed); }

private:
    class Listener;
    void accept(qintptr descriptor);
    void adopt(qintptr descriptor);

    WorkerContext m_context;
    ProxyLimits m_limits;
    Listener *m_listener = nullptr;
    QSet<ClientConnection *> m_connections;
    std::atomic<int> m_active{0};
    std::vector<ProxyWorker *> m_peers;
    std::atomic<int> m_held{0};
};

} // namespace bb::proxy
