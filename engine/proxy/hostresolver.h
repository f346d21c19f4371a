// Upstream host names to addresses, for one worker. Lookups run on Qt's
// lookup thread pool and answer on the worker's thread, so a worker's event
// loop never waits for DNS. One lookup per name is in flight at a time
// (callers for the same name share it); answers are kept for a bounded time
// and number of names; a connect failure drops a name's answer so that the
// next connection asks again.
//
// One resolver per worker rather than one shared: the way to an upstream
// takes no lock and answers never cross threads, at the cost of one lookup
// per worker and name per TTL, which DNS does not notice.
#pragma once

#include "core/clock.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <vector>

namespace bb::proxy {

struct HostAddresses {
    QList<QHostAddress> addresses; // in the order to try them
    QString error;                 // why there are none
};

// Looks name up without blocking and calls done on context's thread (never
// once context is gone). Tests inject their own.
using HostLookup =
    std::function<void(const QString &name, QObject *context, std::function<void(const HostAddresses &)> done)>;
// The system's resolver, through QHostInfo::lookupHost.
HostLookup systemHostLookup();

struct HostCacheLimits {
    Duration ttl = std::chrono::seconds(30);
    int maxNames = 256;
};

class HostResolver : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(const HostAddresses &)>;
    // An empty lookup means the system's.
    HostResolver(const Clock &clock, HostLookup lookup, QObject *parent, HostCacheLimits limits = {});

    // Calls done with the name's addresses: at once while they are cached,
    // else when the lookup answers, unless receiver is gone by then. A name
    // that does not resolve is not cached: the next caller asks again.
    void resolve(const QString &name, QObject *receiver, Done done);
    // Forgets the name's addresses (they failed to connect).
    void invalidate(const QString &name) { m_cache.remove(name); }

    int lookupsStarted() const { return m_lookups; }
    int cachedNames() const { return int(m_cache.size()); }

private:
    struct Entry {
        QList<QHostAddress> addresses;
        TimePoint expires;
    };
    struct Waiter {
        QPointer<QObject> receiver;
        Done done;
    };
    void answered(const QString &name, const HostAddresses &answer);
    void makeRoom();

    const Clock &m_clock;
    HostLookup m_lookup;
    HostCacheLimits m_limits;
    QHash<QString, Entry> m_cache;
    QHash<QString, std::vector<Waiter>> m_waiting; // by name, while its lookup is in flight
    int m_lookups = 0;
};

} // namespace bb::proxy
