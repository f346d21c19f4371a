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

UpstreamConnection *UpstreamPool::acquire(const UpstreamUrl &upstream, const UpstreamTls *tls)
{
    const std::string key = upstreamPoolKey(upstream, tls);
    auto [it, added] = m_upstreams.try_emplace(key);
    Upstream &u = it->second;
    if (added) {
        u.named = QHostAddress(QString::fromStdString(upstream.host)).isNull();
        if (upstream.tls)
            u.tls = std::make_unique<UpstreamTlsSession>(upstreamTlsSession(upstream, tls));
    }
    while (!u.idle.isEmpty()) {
        UpstreamConnection *c = u.idle.takeLast();
        if (c->isConnected())
            return c;
        c->deleteLater();
    }
    return new UpstreamConnection(
        key, QString::fromStdString(upstream.host), upstream.port, u.named ? m_resolver : nullptr, u.tls.get(),
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
