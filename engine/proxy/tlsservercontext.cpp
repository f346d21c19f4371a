#include "tlsservercontext.h"

#include "tlscertificates.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace bb::proxy {

namespace {
// Picks http/1.1 when the client offers it; a client that offers only other
// protocols goes on without ALPN, as a server that does not know it would.
int selectHttp11(SSL *, const unsigned char **out, unsigned char *outLength, const unsigned char *in,
                 unsigned int inLength, void *)
{
    static const unsigned char kHttp11[] = "\x08http/1.1";
    unsigned char *selected = nullptr;
    if (SSL_select_next_proto(&selected, outLength, kHttp11, sizeof kHttp11 - 1, in, inLength) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}
} // namespace

std::shared_ptr<const TlsServerContext> TlsServerContext::make(const QSslConfiguration &configuration, QString *error)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        *error = openSslError();
        return {};
    }
    std::shared_ptr<const TlsServerContext> made(new TlsServerContext(ctx));
    const int lowest = configuration.protocol() == QSsl::TlsV1_3OrLater ? TLS1_3_VERSION : TLS1_2_VERSION;
    SSL_CTX_set_min_proto_version(ctx, lowest);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    // A client that goes without close_notify has simply gone, as over plain TCP.
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF);
    // One read(2) for as many records as have come, not two per record.
    SSL_CTX_set_read_ahead(ctx, 1);
    SSL_CTX_set_alpn_select_cb(ctx, selectHttp11, nullptr);

    if (!useCertificateChain(ctx, configuration.localCertificateChain(), configuration.privateKey(), error))
        return {};
    return made;
}

TlsServerContext::~TlsServerContext()
{
    SSL_CTX_free(m_context);
}

} // namespace bb::proxy
