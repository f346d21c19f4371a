#include "servertls.h"

#include "config/pemfiles.h"

#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace bb::control {

namespace {
std::optional<QByteArray> readFile(const QString &path, const char *what, QString *error)
{
    QString why;
    auto pem = readPemFile(path, &why);
    if (!pem)
        *error = QStringLiteral("cannot read the admin TLS %1 %2: %3").arg(QLatin1String(what), path, why);
    return pem;
}

} // namespace

ServerTls loadServerTls(const QString &certFile, const QString &keyFile)
{
    ServerTls tls;
    if (certFile.isEmpty() && keyFile.isEmpty())
        return tls;
    if (keyFile.isEmpty()) {
        tls.error = QStringLiteral("--admin-tls-cert %1 needs --admin-tls-key FILE too").arg(certFile);
        return tls;
    }
    if (certFile.isEmpty()) {
        tls.error = QStringLiteral("--admin-tls-key %1 needs --admin-tls-cert FILE too").arg(keyFile);
        return tls;
    }
    if (!QSslSocket::supportsSsl()) {
        tls.error = QStringLiteral("the admin API cannot serve TLS: Qt found no TLS backend (%1)")
                        .arg(QSslSocket::sslLibraryBuildVersionString());
        return tls;
    }
    const auto certPem = readFile(certFile, "certificate", &tls.error);
    if (!certPem)
        return tls;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty()) {
        tls.error = QStringLiteral("the admin TLS certificate %1 holds no PEM certificate").arg(certFile);
        return tls;
    }
    const auto keyPem = readFile(keyFile, "key", &tls.error);
    if (!keyPem)
        return tls;
    if (isEncryptedPem(*keyPem)) {
        tls.error = QStringLiteral("the admin TLS key %1 is encrypted: give it without a passphrase "
                                   "(openssl pkey -in %1 -out PLAIN.key)")
                        .arg(keyFile);
        return tls;
    }
    const QSslKey key = privateKeyOf(*keyPem);
    if (key.isNull()) {
        tls.error = QStringLiteral("the admin TLS key %1 holds no PEM private key (RSA or EC)").arg(keyFile);
        return tls;
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients prove themselves with the token
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    if (const QString refusal = backendRefusal(configuration); !refusal.isEmpty()) {
        tls.error = QStringLiteral("the admin TLS key %1 does not go with the certificate %2 (%3)")
                        .arg(keyFile, certFile, refusal);
        return tls;
    }
    tls.configuration = configuration;
    return tls;
}

} // namespace bb::control
