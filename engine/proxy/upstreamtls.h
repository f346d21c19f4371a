// What the connections of one https:// upstream share on a worker: how the
// upstream is verified, whom Breakerboard presents, and the last session to
// resume. Built once per upstream and worker from the service's `tls:`.
#pragma once

#include "config/serviceconfig.h"

#include <QList>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>

#include <optional>
#include <string>

namespace bb::proxy {

struct UpstreamTlsSession {
    QSslConfiguration configuration;
    QString peerName; // sent as SNI and checked in the certificate
    // A file that no longer reads as it did at check time: every call to
    // this upstream fails with it rather than go out unverified.
    QString problem;
    // Kept when a handshake gives a session (or a TLS 1.3 ticket arrives):
    // the next connection resumes it instead of a full handshake.
    void keepSession(const QByteArray &ticket);
};

// tls is the service's block, or nullptr for the defaults (the system store,
// the URL's host, TLS 1.2 or newer).
UpstreamTlsSession upstreamTlsSession(const UpstreamUrl &upstream, const UpstreamTls *tls);

// Where a service's calls go: the URL, the tls: settings that verify it
// (none: the defaults), and the key of a worker's pool for the two, made
// once. Connections go back only to calls that would have made the same
// connection (scheme, address and every TLS setting).
struct UpstreamEndpoint {
    UpstreamUrl url;
    std::optional<UpstreamTls> tls;
    std::string poolKey;
};
UpstreamEndpoint upstreamEndpoint(UpstreamUrl url, std::optional<UpstreamTls> tls);

// One line for a handshake that failed: "TLS: certificate for wrong.example
// does not match api.example.com", "TLS: certificate for X expired on ...",
// "TLS: certificate for X is not trusted (its issuer ...)", else what the backend said.
QString describeTlsFailure(const QList<QSslError> &errors, const QString &peerName, const QString &backendText);

} // namespace bb::proxy
