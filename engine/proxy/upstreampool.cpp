#include "upstreampool.h"

namespace bb::proxy {

UpstreamPool::UpstreamPool(HostResolver *resolver, QObject *parent, int maxIdlePerUpstream)
    : QObject(parent)
    , m_resolver(resolver)
    , m_maxIdle(maxIdlePerUpstream)
{
}

UpstreamConnection *UpstreamPool::acquire(const UpstreamUrl &upstream)
{
    auto [it, added] = m_upstreams.try_emplace(upstream.authority());
    Upstream &u = it->second;
    if (added)
        u.named = QHostAddress(QString::fromStdString(upstream.host)).isNull();
    while (!u.idle.isEmpty()) {
        UpstreamConnection *c = u.idle.takeLast();
        if (c->isConnected())
            return c;
        c->deleteLater();
    }
    return new UpstreamConnection(
        QString::fromStdString(upstream.host), upstream.port, u.named ? m_resolver : nullptr,
        [this](UpstreamConnection *closed) {
            m_upstreams[closed->key().toStdString()].idle.removeOne(closed);
            closed->deleteLater();
        },
        this);
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    connection->setListener(nullptr);
    auto &idle = m_upstreams[connection->key().toStdString()].idle;
    if (!connection->reusable() || idle.size() >= m_maxIdle) {
        connection->abort();
        connection->deleteLater();
        return;
    }
    connection->setReadPaused(false);
    idle.push_back(connection);
}

} // namespace bb::proxy
