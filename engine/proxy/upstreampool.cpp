#include "upstreampool.h"

namespace bb::proxy {

UpstreamPool::UpstreamPool(HostResolver *resolver, QObject *parent, int maxIdlePerUpstream)
    : QObject(parent)
    , m_resolver(resolver)
    , m_maxIdle(maxIdlePerUpstream)
{
}

UpstreamPool::~UpstreamPool()
{
    // Connections go before the TLS sessions they point at.
    qDeleteAll(findChildren<UpstreamConnection *>(Qt::FindDirectChildrenOnly));
}

UpstreamConnection *UpstreamPool::acquire(const UpstreamEndpoint &upstream)
{
    auto [it, added] = m_upstreams.try_emplace(upstream.poolKey);
    Upstream &u = it->second;
    if (added) {
        u.named = QHostAddress(QString::fromStdString(upstream.url.host)).isNull();
        if (upstream.url.tls)
            u.tls = std::make_unique<UpstreamTlsSession>(upstream.url, upstream.tls ? &*upstream.tls : nullptr);
    }
    while (!u.idle.isEmpty()) {
        UpstreamConnection *c = u.idle.takeLast();
        if (c->isConnected())
            return c;
        c->deleteLater();
    }
    return new UpstreamConnection(
        upstream.poolKey, QString::fromStdString(upstream.url.host), upstream.url.port, u.named ? m_resolver : nullptr,
        u.tls.get(),
        [this](UpstreamConnection *closed) {
            m_upstreams[closed->key()].idle.removeOne(closed);
            closed->deleteLater();
        },
        this);
}

void UpstreamPool::release(UpstreamConnection *connection)
{
    connection->setListener(nullptr);
    auto &idle = m_upstreams[connection->key()].idle;
    if (!connection->reusable() || idle.size() >= m_maxIdle) {
        connection->abort();
        connection->deleteLater();
        return;
    }
    connection->setReadPaused(false);
    idle.push_back(connection);
}

} // namespace bb::proxy
