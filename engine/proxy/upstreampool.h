// A worker's idle upstream connections, per upstream (scheme, address and
// TLS settings). Connections never cross threads: each worker has its own pool.
#pragma once

#include "upstreamconnection.h"
#include "upstreamtls.h"

#include "config/serviceconfig.h"

#include <QObject>
#include <QVector>

#include <memory>
#include <string>
#include <unordered_map>

namespace bb::proxy {

class UpstreamPool : public QObject {
    Q_OBJECT
public:
    // New connections to a host that is a name look it up through resolver;
    // an IP literal goes straight to the socket, as it is.
    explicit UpstreamPool(HostResolver *resolver, QObject *parent = nullptr, int maxIdlePerUpstream = 256);
    ~UpstreamPool() override;

    // An idle connection to the upstream if there is one, else a new one.
    UpstreamConnection *acquire(const UpstreamEndpoint &upstream);
    // Back to the pool when it can carry another request, else closed.
    void release(UpstreamConnection *connection);

private:
    struct Upstream {
        QVector<UpstreamConnection *> idle;
        bool named = false; // the host is a name, not an IP literal: decided once
        std::unique_ptr<UpstreamTlsSession> tls; // for https://, made once
    };
    std::unordered_map<std::string, Upstream> m_upstreams; // by UpstreamEndpoint::poolKey
    HostResolver *m_resolver;
    int m_maxIdle;
};

} // namespace bb::proxy
