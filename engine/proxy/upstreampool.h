// A worker's idle upstream connections, per upstream address. Connections
// never cross threads: each worker has its own pool.
#pragma once

#include "upstreamconnection.h"

#include "config/serviceconfig.h"

#include <QObject>
#include <QVector>

#include <string>
#include <unordered_map>

namespace bb::proxy {

class UpstreamPool : public QObject {
    Q_OBJECT
public:
    explicit UpstreamPool(QObject *parent = nullptr, int maxIdlePerUpstream = 256);

    // An idle connection to the upstream if there is one, else a new one.
    UpstreamConnection *acquire(const UpstreamUrl &upstream);
    // Back to the pool when it can carry another request, else closed.
    void release(UpstreamConnection *connection);

private:
    std::unordered_map<std::string, QVector<UpstreamConnection *>> m_idle; // by host:port
    int m_maxIdle;
};

} // namespace bb::proxy
