#include "tlscertificates.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

namespace bb::proxy {

namespace {
template <typename T, typename Read> T *fromPem(const QByteArray &pem, Read read)
{
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    T *value = read(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return value;
}
} // namespace

QString openSslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("no reason given");
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QString::fromLatin1(text);
}

bool useCertificateChain(SSL_CTX *ctx, const QList<QSslCertificate> &chain, const QSslKey &key, QString *error)
{
    if (chain.isEmpty()) {
        *error = QStringLiteral("no certificate");
        return false;
    }
    for (qsizetype i = 0; i < chain.size(); ++i) {
        X509 *certificate = fromPem<X509>(chain.at(i).toPem(), PEM_read_bio_X509);
        const bool taken = certificate && (i == 0 ? SSL_CTX_use_certificate(ctx, certificate) == 1
                                                  : SSL_CTX_add1_chain_cert(ctx, certificate) == 1);
        X509_free(certificate);
        if (!taken) {
            *error = QStringLiteral("certificate %1 of the chain: %2").arg(i + 1).arg(openSslError());
            return false;
        }
    }
    EVP_PKEY *pkey = fromPem<EVP_PKEY>(key.toPem(), PEM_read_bio_PrivateKey);
    const bool keyTaken = pkey && SSL_CTX_use_PrivateKey(ctx, pkey) == 1 && SSL_CTX_check_private_key(ctx) == 1;
    EVP_PKEY_free(pkey);
    if (!keyTaken) {
        *error = QStringLiteral("the private key: %1").arg(openSslError());
        return false;
    }
    return true;
}

bool trustCertificates(SSL_CTX *ctx, const QList<QSslCertificate> &certificates, QString *error)
{
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    for (const QSslCertificate &c : certificates) {
        X509 *certificate = fromPem<X509>(c.toPem(), PEM_read_bio_X509);
        const bool taken = certificate && X509_STORE_add_cert(store, certificate) == 1;
        X509_free(certificate);
        if (!taken) {
            *error = QStringLiteral("CA certificate %1: %2")
                         .arg(c.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", ")), openSslError());
            return false;
        }
    }
    return true;
}

QSslCertificate certificateOf(X509 *certificate)
{
    const int size = certificate ? i2d_X509(certificate, nullptr) : 0;
    if (size <= 0)
        return QSslCertificate();
    QByteArray der(size, Qt::Uninitialized);
    auto *into = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(certificate, &into);
    return QSslCertificate(der, QSsl::Der);
}

} // namespace bb::proxy
