// The proxy listener's TLS as OpenSSL holds it: one SSL_CTX made from the
// checked QSslConfiguration (certificate chain, key, lowest version), with
// ALPN http/1.1, session tickets for resumption and buffers released while
// a connection is idle. Shared by the workers; a reload makes a new one for
// the connections that come next.
#pragma once

#include <QSslConfiguration>
#include <QString>

#include <memory>

typedef struct ssl_ctx_st SSL_CTX;

namespace bb::proxy {

class TlsServerContext {
public:
    // Null, with the reason in error, when OpenSSL refuses what Qt accepted.
    static std::shared_ptr<const TlsServerContext> make(const QSslConfiguration &configuration, QString *error);
    ~TlsServerContext();
    TlsServerContext(const TlsServerContext &) = delete;
    TlsServerContext &operator=(const TlsServerContext &) = delete;

    SSL_CTX *context() const { return m_context; }

private:
    explicit TlsServerContext(SSL_CTX *context) : m_context(context) {}
    SSL_CTX *m_context;
};

} // namespace bb::proxy
