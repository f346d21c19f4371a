#include "upstreampool.h"

namespace bb::proxy {

UpstreamPool::UpstreamPool(QObject *parent, int maxIdlePerUpstream) : QObject(parent), m_maxIdle(maxIdlePerUpstream) {}

UpstreamConnection *UpstreamPool::acquire(const QString &host, quint16 port)
{
    const QString key = host + QLatin1Char(':') + QString::number(port);
    auto &idle = m_idle[key];
    while (!idle.isEmpty()) {
        UpstreamConnection *c = idle.takeLast();
        disconnect(c, &UpstreamConnection::idleClosed, this, nullptr);
        if (c->isConnected())
            return c;
        c->deleteLater();
    }
    ++m_created;
    return new UpstreamConnection(host, port, this);
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    disconnect(connection, nullptr, nullptr, nullptr);
    auto &idle = m_idle[connection->key()];
    if (!connection->reusable() || idle.size() >= m_maxIdle) {
        connection->abort();
        connection->deleteLater();
        return;
    }
    connection->setReadPaused(false);
    idle.push_back(connection);
    connect(connection, &UpstreamConnection::idleClosed, this, [this, connection] {
        m_idle[connection->key()].removeOne(connection);
        connection->deleteLater();
    });
}

int UpstreamPool::idleCount() const
{
    int n = 0;
    for (const auto &list : m_idle)
        n += list.size();
    return n;
}

} // namespace bb::proxy
