// A worker's idle upstream connections, per upstream address. Connections
// never cross threads: each worker has its own pool.
#pragma once

#include "upstreamconnection.h"

#include <QHash>
#include <QObject>
#include <QVector>

namespace bb::proxy {

class UpstreamPool : public QObject {
    Q_OBJECT
public:
    explicit UpstreamPool(QObject *parent = nullptr, int maxIdlePerUpstream = 256);

    // An idle connection to host:port if there is one, else a new one.
    UpstreamConnection *acquire(const QString &host, quint16 port);
    // Back to the pool when it can carry another request, else closed.
    void release(UpstreamConnection *connection);
    int idleCount() const;
    std::uint64_t created() const { return m_created; }

private:
    QHash<QString, QVector<UpstreamConnection *>> m_idle;
    int m_maxIdle;
    std::uint64_t m_created = 0;
};

} // namespace bb::proxy
