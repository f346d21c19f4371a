#include "servertls.h"

#include "config/pemfiles.h"

#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace bb::control {

namespace {
std::optional<QByteArray> readFile(const QString &path, const QString &listener, const char *what, QString *error)
{
    QString why;
    auto pem = readPemFile(path, &why);
    if (!pem)
        *error = QStringLiteral("cannot read the %1 TLS %2 %3: %4").arg(listener, QLatin1String(what), path, why);
    return pem;
}

} // namespace

ServerTls loadServerTls(const QString &certFile, const QString &keyFile, TlsListener listener)
{
    const QString name = listener == TlsListener::Admin ? QStringLiteral("admin") : QStringLiteral("proxy");
    ServerTls tls;
    if (certFile.isEmpty() && keyFile.isEmpty())
        return tls;
    if (keyFile.isEmpty()) {
        tls.error = QStringLiteral("--%1-tls-cert %2 needs --%1-tls-key FILE too").arg(name, certFile);
        return tls;
    }
    if (certFile.isEmpty()) {
        tls.error = QStringLiteral("--%1-tls-key %2 needs --%1-tls-cert FILE too").arg(name, keyFile);
        return tls;
    }
    if (!QSslSocket::supportsSsl()) {
        tls.error = QStringLiteral("the %1 cannot serve TLS: Qt found no TLS backend (%2)")
                        .arg(listener == TlsListener::Admin ? QStringLiteral("admin API") : name,
                             QSslSocket::sslLibraryBuildVersionString());
        return tls;
    }
    const auto certPem = readFile(certFile, name, "certificate", &tls.error);
    if (!certPem)
        return tls;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty()) {
        tls.error = QStringLiteral("the %1 TLS certificate %2 holds no PEM certificate").arg(name, certFile);
        return tls;
    }
    const auto keyPem = readFile(keyFile, name, "key", &tls.error);
    if (!keyPem)
        return tls;
    if (isEncryptedPem(*keyPem)) {
        tls.error = QStringLiteral("the %1 TLS key %2 is encrypted: give it without a passphrase "
                                   "(openssl pkey -in %2 -out PLAIN.key)")
                        .arg(name, keyFile);
        return tls;
    }
    const QSslKey key = privateKeyOf(*keyPem);
    if (key.isNull()) {
        tls.error = QStringLiteral("the %1 TLS key %2 holds no PEM private key (RSA or EC)").arg(name, keyFile);
        return tls;
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients prove themselves with the token
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    if (const QString refusal = backendRefusal(configuration); !refusal.isEmpty()) {
        tls.error = QStringLiteral("the %1 TLS key %2 does not go with the certificate %3 (%4)")
                        .arg(name, keyFile, certFile, refusal);
        return tls;
    }
    tls.configuration = configuration;
    return tls;
}

} // namespace bb::control
