// Limits and addresses of the proxy; defaults are what `breakerboard` uses.
#pragma once

#include "hostresolver.h"

#include "config/clientlimits.h"
#include "core/clock.h"

#include <QHostAddress>
#include <QSslConfiguration>

#include <cstdint>
#include <optional>

namespace bb::proxy {

// The client limits of the configuration, and how much the proxy buffers.
struct ProxyLimits : ClientLimits {
    qint64 window = 256 * 1024;     // bytes buffered per direction before reading pauses
    qint64 replayBytes = 64 * 1024; // request bodies up to this can be retried
};

struct ProxyOptions {
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;
    int workers = 0; // 0: one per core
    ProxyLimits limits;
    // Set: clients speak HTTP/1.1 over TLS with this server configuration
    // (certificate, key, TLS 1.2 or newer, ALPN http/1.1); none: plain HTTP.
    std::optional<QSslConfiguration> tls;
    // The files tls was read from, when it was: read again when they change.
    QString tlsCertFile;
    QString tlsKeyFile;
    HostLookup hostLookup; // how upstream names are looked up; empty: the system's resolver
};

} // namespace bb::proxy
