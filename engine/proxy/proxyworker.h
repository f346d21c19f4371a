// One proxy worker: its own thread and event loop, its own listening socket
// on the shared port (SO_REUSEPORT), its connections, upstream pool and
// resolver of upstream names.
#pragma once

#include "workercontext.h"

#include <QObject>
#include <QSet>
#include <QTcpServer>

#include <atomic>

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

private:
    class Listener;
    void accept(qintptr descriptor);

    WorkerContext m_context;
    ProxyLimits m_limits;
    Listener *m_listener = nullptr;
    QSet<ClientConnection *> m_connections;
    std::atomic<int> m_active{0};
};

} // namespace bb::proxy
