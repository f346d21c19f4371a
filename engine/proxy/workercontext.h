// What every exchange of one worker shares: the engine, the route table of
// the configuration in force, the worker's upstream pool and its waiting
// list for full bulkheads.
#pragma once

#include "proxyoptions.h"
#include "routetable.h"
#include "servicecounters.h"
#include "upstreampool.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <list>
#include <memory>

namespace bb::proxy {

class Exchange;

// Exchanges waiting for a bulkhead slot, oldest first. Slots free up on any
// worker, so the list is also polled while it is not empty.
class BulkheadWaiters : public QObject {
    Q_OBJECT
public:
    explicit BulkheadWaiters(QObject *parent);
    void add(Exchange *exchange);
    void remove(Exchange *exchange);
    // Gives free slots to waiting exchanges.
    void admit();

private:
    std::list<Exchange *> m_waiting;
    QTimer m_poll;
};

struct WorkerContext {
    Engine *engine = nullptr;
    std::shared_ptr<const RouteTable> routes;
    UpstreamPool *pool = nullptr;
    BulkheadWaiters *waiters = nullptr;
    const ProxyLimits *limits = nullptr;
    ProxyCounters *counters = nullptr;
    std::atomic<int> *activeExchanges = nullptr; // this worker's, for a graceful stop
};

} // namespace bb::proxy
