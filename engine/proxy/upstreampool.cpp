#include "upstreampool.h"

namespace bb::proxy {

UpstreamPool::UpstreamPool(QObject *parent, int maxIdlePerUpstream) : QObject(parent), m_maxIdle(maxIdlePerUpstream) {}

UpstreamConnection *UpstreamPool::acquire(const UpstreamUrl &upstream)
{
    auto &idle = m_idle[upstream.authority()];
    while (!idle.isEmpty()) {
        UpstreamConnection *c = idle.takeLast();
        if (c->isConnected())
            return c;
        c->deleteLater();
    }
    return new UpstreamConnection(
        QString::fromStdString(upstream.host), upstream.port,
        [this](UpstreamConnection *closed) {
            m_idle[closed->key().toStdString()].removeOne(closed);
            closed->deleteLater();
        },
        this);
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    connection->setListener(nullptr);
    auto &idle = m_idle[connection->key().toStdString()];
    if (!connection->reusable() || idle.size() >= m_maxIdle) {
        connection->abort();
        connection->deleteLater();
        return;
    }
    connection->setReadPaused(false);
    idle.push_back(connection);
}


} // namespace bb::proxy
