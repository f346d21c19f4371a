#include "upstreamtls.h"

#include "config/pemfiles.h"

#include <QSslCertificate>
#include <QSslSocket>

namespace bb::proxy {

namespace {
// The file's bytes; empty, with the problem set (if none was yet), when it
// cannot be read.
QByteArray readFile(const std::string &path, QString *problem)
{
    QString why;
    const QString name = QString::fromStdString(path);
    if (auto pem = readPemFile(name, &why))
        return *pem;
    if (problem->isEmpty())
        *problem = QStringLiteral("TLS: cannot read %1: %2").arg(name, why);
    return {};
}

// The names a certificate is for: its DNS names, else its common name.
QString namesOf(const QSslCertificate &certificate)
{
    QStringList names = certificate.subjectAlternativeNames().values(QSsl::DnsEntry);
    if (names.isEmpty())
        names = certificate.subjectInfo(QSslCertificate::CommonName);
    return names.isEmpty() ? QStringLiteral("(no name)") : names.join(QStringLiteral(", "));
}

bool isUntrusted(QSslError::SslError e)
{
    switch (e) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
    case QSslError::CertificateRejected:
        return true;
    default:
        return false;
    }
}
} // namespace

void UpstreamTlsSession::keepSession(const QByteArray &ticket)
{
    if (!ticket.isEmpty() && ticket != configuration.sessionTicket())
        configuration.setSessionTicket(ticket);
}

UpstreamTlsSession upstreamTlsSession(const UpstreamUrl &upstream, const UpstreamTls *tls)
{
    const UpstreamTls settings = tls ? *tls : UpstreamTls{};
    UpstreamTlsSession s;
    s.configuration = QSslConfiguration::defaultConfiguration();
    s.configuration.setProtocol(settings.minVersion == TlsMinVersion::Tls13 ? QSsl::TlsV1_3OrLater
                                                                            : QSsl::TlsV1_2OrLater);
    s.configuration.setPeerVerifyMode(settings.verify ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    // Sessions are kept so that new connections resume them.
    s.configuration.setSslOption(QSsl::SslOptionDisableSessionPersistence, false);
    s.configuration.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
    s.peerName = QString::fromStdString(settings.serverName.empty() ? upstream.host : settings.serverName);
    if (!settings.caFile.empty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromData(readFile(settings.caFile, &s.problem), QSsl::Pem);
        if (cas.isEmpty() && s.problem.isEmpty())
            s.problem = QStringLiteral("TLS: %1 holds no PEM certificate").arg(QString::fromStdString(settings.caFile));
        s.configuration.setCaCertificates(cas);
    }
    if (!settings.clientCert.empty() && s.problem.isEmpty()) {
        const QList<QSslCertificate> chain =
            QSslCertificate::fromData(readFile(settings.clientCert, &s.problem), QSsl::Pem);
        const QSslKey key = privateKeyOf(readFile(settings.clientKey, &s.problem));
        if (s.problem.isEmpty() && (chain.isEmpty() || key.isNull()))
            s.problem = QStringLiteral("TLS: the client certificate %1 or its key %2 no longer reads")
                            .arg(QString::fromStdString(settings.clientCert), QString::fromStdString(settings.clientKey));
        s.configuration.setLocalCertificateChain(chain);
        s.configuration.setPrivateKey(key);
    }
    return s;
}

namespace {
std::string poolKey(const UpstreamUrl &upstream, const std::optional<UpstreamTls> &tls)
{
    std::string key = (upstream.tls ? "https://" : "http://") + upstream.authority();
    if (!upstream.tls || !tls)
        return key;
    const char separator = '\n'; // in no path or host name of a configuration
    for (const std::string *part : {&tls->caFile, &tls->serverName, &tls->clientCert, &tls->clientKey})
        key += separator + *part;
    key += separator;
    key += tls->minVersion == TlsMinVersion::Tls13 ? "1.3" : "1.2";
    key += tls->verify ? "" : "\nnoverify";
    return key;
}
} // namespace

UpstreamEndpoint upstreamEndpoint(UpstreamUrl url, std::optional<UpstreamTls> tls)
{
    std::string key = poolKey(url, tls);
    return {std::move(url), std::move(tls), std::move(key)};
}

QString describeTlsFailure(const QList<QSslError> &errors, const QString &peerName, const QString &backendText)
{
    const auto find = [&](auto wanted) -> const QSslError * {
        for (const QSslError &e : errors)
            if (wanted(e.error()))
                return &e;
        return nullptr;
    };
    if (const QSslError *e = find([](auto x) { return x == QSslError::HostNameMismatch; }))
        return QStringLiteral("TLS: certificate for %1 does not match %2").arg(namesOf(e->certificate()), peerName);
    if (const QSslError *e = find([](auto x) { return x == QSslError::CertificateExpired; }))
        return QStringLiteral("TLS: certificate for %1 expired on %2")
            .arg(namesOf(e->certificate()), e->certificate().expiryDate().toUTC().toString(Qt::ISODate));
    if (const QSslError *e = find([](auto x) { return x == QSslError::CertificateNotYetValid; }))
        return QStringLiteral("TLS: certificate for %1 is not valid before %2")
            .arg(namesOf(e->certificate()), e->certificate().effectiveDate().toUTC().toString(Qt::ISODate));
    if (const QSslError *e = find(isUntrusted)) {
        const QStringList issuer = e->certificate().issuerInfo(QSslCertificate::CommonName);
        return QStringLiteral("TLS: certificate for %1 is not trusted (its issuer \"%2\" is not among the trusted CAs)")
            .arg(namesOf(e->certificate()), issuer.join(QStringLiteral(", ")));
    }
    if (!errors.isEmpty())
        return QStringLiteral("TLS: %1").arg(errors.front().errorString());
    return QStringLiteral("TLS: handshake with %1 failed: %2").arg(peerName, backendText);
}

} // namespace bb::proxy
