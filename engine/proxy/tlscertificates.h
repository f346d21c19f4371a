// What the proxy's two TLS sides (TlsServerContext for the listener,
// UpstreamTlsSession for https:// upstreams) share with OpenSSL: its last
// error as one line, and certificates moved between the form Qt checks them
// in when the configuration is read and the form OpenSSL uses.
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct x509_st X509;

namespace bb::proxy {

// OpenSSL's last error, as one line.
QString openSslError();

// Whom ctx presents: the chain's first certificate, the rest of the chain
// and the key. False, with the reason in error, when OpenSSL refuses them.
bool useCertificateChain(SSL_CTX *ctx, const QList<QSslCertificate> &chain, const QSslKey &key, QString *error);

// Makes certificates the CAs that ctx trusts.
bool trustCertificates(SSL_CTX *ctx, const QList<QSslCertificate> &certificates, QString *error);

// OpenSSL's certificate in Qt's form, to describe it.
QSslCertificate certificateOf(X509 *certificate);

} // namespace bb::proxy
