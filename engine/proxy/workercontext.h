// What every exchange of one worker shares: the engine, the route table of
// the configuration in force, the worker's upstream pool, its waiting list
// for full bulkheads and its exchanges' deadlines.
#pragma once

#include "deadlines.h"
#include "proxyoptions.h"
#include "routetable.h"
#include "servicecounters.h"
#include "tlsservercontext.h"
#include "upstreampool.h"

#include "record/recorder.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <list>
#include <vector>
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

// A 503 body recently built for a service, kept for 100 ms: under a flood
// of rejected calls the JSON is built ten times a second, not per call.
struct UnavailableAnswer {
    const ServiceRuntime *service = nullptr;
    const ServiceRuntime *target = nullptr;
    std::uint64_t generation = 0;
    RejectReason reason = RejectReason::NotRejected;
    TimePoint builtAt;
    QByteArray body;
    QByteArray wire; // the whole answer for a keep-alive, non-HEAD request
    qint64 retryAfter = 1;
};

struct WorkerContext {
    Engine *engine = nullptr;
    std::shared_ptr<const RouteTable> routes;
    UpstreamPool *pool = nullptr;
    BulkheadWaiters *waiters = nullptr;
    Deadlines *deadlines = nullptr;
    const ProxyLimits *limits = nullptr;
    ProxyCounters *counters = nullptr;
    std::atomic<int> *activeExchanges = nullptr; // this worker's, for a graceful stop
    std::vector<UnavailableAnswer> unavailable;   // this worker's only
    // While a recording runs: this worker's lane, set on the worker's thread,
    // and the recording's start on the engine's clock. recordingNumber counts
    // the changes, so that an exchange is recorded only by the recording it
    // arrived in, whatever the clock says.
    record::Recorder::Lane *recorder = nullptr;
    TimePoint recordingStart;
    std::uint64_t recordingNumber = 0;
    // The listener's TLS, set on the worker's thread; a reload replaces it
    // for the connections that come next. Null: plain HTTP.
    std::shared_ptr<const TlsServerContext> tls;
};

} // namespace bb::proxy
