// What the connections of one https:// upstream share on a worker: how the
// upstream is verified, whom Breakerboard presents, and the last session to
// resume. Built once per upstream and worker from the service's `tls:`.
#pragma once

#include "config/serviceconfig.h"

#include <QList>
#include <QSslError>
#include <QString>

#include <optional>
#include <string>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_session_st SSL_SESSION;

namespace bb::proxy {

// What one handshake met, as the upstream's TLS callbacks tell it: the
// certificate errors the verification found, and the fatal alert the
// upstream sent.
struct TlsHandshakeReport {
    QList<QSslError> errors;
    QString alert;
};

class UpstreamTlsSession {
public:
    // tls is the service's block, or nullptr for the defaults (the system
    // store, the URL's host, TLS 1.2 or newer).
    UpstreamTlsSession(const UpstreamUrl &upstream, const UpstreamTls *tls);
    ~UpstreamTlsSession();
    UpstreamTlsSession(const UpstreamTlsSession &) = delete;
    UpstreamTlsSession &operator=(const UpstreamTlsSession &) = delete;

    // Sent as SNI (unless an address) and checked in the certificate.
    const QString &peerName() const { return m_peerName; }
    // A file that no longer reads as it did at check time: every call to
    // this upstream fails with it rather than go out unverified.
    const QString &problem() const { return m_problem; }
    // The TLS of a new connection, ready to handshake: the name to send
    // and check, and the last session to resume. What its handshake meets
    // goes to report, which outlives it. Null when OpenSSL cannot make one.
    SSL *newConnection(TlsHandshakeReport *report);

private:
    void prepare(const UpstreamTls &settings);
    // Kept when a handshake gives a session (or a TLS 1.3 ticket arrives):
    // the next connection resumes it instead of a full handshake.
    static int keepSession(SSL *ssl, SSL_SESSION *session);

    SSL_CTX *m_context = nullptr;
    SSL_SESSION *m_session = nullptr;
    QString m_peerName;
    bool m_peerIsAddress = false;
    bool m_verify = true;
    QString m_problem;
};

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
// "TLS: certificate for X is not trusted (its issuer ...)", else what OpenSSL
// or the upstream said.
QString describeTlsFailure(const QList<QSslError> &errors, const QString &peerName, const QString &backendText);

} // namespace bb::proxy
