#include "upstreamtls.h"

#include "tlscertificates.h"

#include "config/pemfiles.h"

#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdlib>

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

// Where each connection's SSL keeps its TlsHandshakeReport, and each
// context its UpstreamTlsSession.
int reportIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

int sessionIndex()
{
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

TlsHandshakeReport *reportOf(const SSL *ssl)
{
    return ssl ? static_cast<TlsHandshakeReport *>(SSL_get_ex_data(ssl, reportIndex())) : nullptr;
}

TlsHandshakeReport *reportOf(X509_STORE_CTX *store)
{
    return reportOf(static_cast<SSL *>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx())));
}

// OpenSSL's verification errors as Qt names them, for describeTlsFailure.
QSslError::SslError qtErrorOf(int x509Error)
{
    switch (x509Error) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return QSslError::HostNameMismatch;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return QSslError::CertificateExpired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return QSslError::CertificateNotYetValid;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return QSslError::SelfSignedCertificate;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return QSslError::SelfSignedCertificateInChain;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        return QSslError::UnableToGetLocalIssuerCertificate;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        return QSslError::UnableToGetIssuerCertificate;
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return QSslError::UnableToVerifyFirstCertificate;
    case X509_V_ERR_CERT_UNTRUSTED:
        return QSslError::CertificateUntrusted;
    case X509_V_ERR_CERT_REJECTED:
        return QSslError::CertificateRejected;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return QSslError::CertificateSignatureFailed;
    case X509_V_ERR_CERT_REVOKED:
        return QSslError::CertificateRevoked;
    case X509_V_ERR_INVALID_CA:
        return QSslError::InvalidCaCertificate;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return QSslError::PathLengthExceeded;
    case X509_V_ERR_INVALID_PURPOSE:
        return QSslError::InvalidPurpose;
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
        return QSslError::InvalidNotBeforeField;
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
        return QSslError::InvalidNotAfterField;
    default:
        return QSslError::UnspecifiedError;
    }
}

// Each error of the chain is noted and verification goes on, so that the
// report holds them all (a name that does not match, on a certificate that
// is also untrusted, is told as the mismatch).
int noteCertificateError(int ok, X509_STORE_CTX *store)
{
    if (TlsHandshakeReport *report = ok ? nullptr : reportOf(store))
        report->errors += QSslError(qtErrorOf(X509_STORE_CTX_get_error(store)),
                                    certificateOf(X509_STORE_CTX_get_current_cert(store)));
    return 1;
}

// The chain passes only when no error was noted. Else the handshake stops
// there: nothing is sent, and no session of it is kept.
int verifyChain(X509_STORE_CTX *store, void *)
{
    const int verified = X509_verify_cert(store);
    const TlsHandshakeReport *report = reportOf(store);
    return verified == 1 && report && report->errors.isEmpty() ? 1 : 0;
}

void noteAlert(const SSL *ssl, int where, int value)
{
    if (!(where & SSL_CB_READ_ALERT) || (value >> 8) != SSL3_AL_FATAL)
        return;
    if (TlsHandshakeReport *report = reportOf(ssl))
        report->alert = QString::fromLatin1(SSL_alert_desc_string_long(value));
}

// The system's CAs, looked up in its hashed directory as a chain needs them
// (SSL_CERT_DIR, else OpenSSL's own), and those of SSL_CERT_FILE when it is
// set: the whole bundle is not read for every upstream and worker.
void trustSystemStore(SSL_CTX *ctx)
{
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    const char *dir = std::getenv(X509_get_default_cert_dir_env());
    X509_STORE_load_path(store, dir ? dir : X509_get_default_cert_dir());
    if (const char *file = std::getenv(X509_get_default_cert_file_env()))
        X509_STORE_load_file(store, file);
    ERR_clear_error(); // a directory or file that is not there trusts nothing more
}
} // namespace

UpstreamTlsSession::UpstreamTlsSession(const UpstreamUrl &upstream, const UpstreamTls *tls)
{
    const UpstreamTls settings = tls ? *tls : UpstreamTls{};
    m_peerName = QString::fromStdString(settings.serverName.empty() ? upstream.host : settings.serverName);
    m_peerIsAddress = !QHostAddress(m_peerName).isNull();
    m_verify = settings.verify;
    ERR_clear_error();
    m_context = SSL_CTX_new(TLS_client_method());
    if (!m_context) {
        m_problem = QStringLiteral("TLS: ") + openSslError();
        return;
    }
    SSL_CTX_set_ex_data(m_context, sessionIndex(), this);
    prepare(settings);
}

UpstreamTlsSession::~UpstreamTlsSession()
{
    SSL_SESSION_free(m_session);
    if (m_context) {
        SSL_CTX_set_ex_data(m_context, sessionIndex(), nullptr);
        SSL_CTX_free(m_context);
    }
}

void UpstreamTlsSession::prepare(const UpstreamTls &settings)
{
    SSL_CTX *ctx = m_context;
    SSL_CTX_set_min_proto_version(ctx, settings.minVersion == TlsMinVersion::Tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    // An upstream that goes without close_notify has simply gone, as over plain TCP.
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_read_ahead(ctx, 1); // one read(2) for as many records as have come
    static const unsigned char kHttp11[] = "\x08http/1.1";
    SSL_CTX_set_alpn_protos(ctx, kHttp11, sizeof kHttp11 - 1);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, keepSession);
    SSL_CTX_set_info_callback(ctx, noteAlert);
    if (settings.verify) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, noteCertificateError);
        SSL_CTX_set_cert_verify_callback(ctx, verifyChain, nullptr);
        X509_VERIFY_PARAM_set_hostflags(SSL_CTX_get0_param(ctx), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    } else {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    }

    QString why;
    if (!settings.caFile.empty()) {
        const QString name = QString::fromStdString(settings.caFile);
        const QList<QSslCertificate> cas = QSslCertificate::fromData(readFile(settings.caFile, &m_problem), QSsl::Pem);
        if (cas.isEmpty() && m_problem.isEmpty())
            m_problem = QStringLiteral("TLS: %1 holds no PEM certificate").arg(name);
        if (m_problem.isEmpty() && !trustCertificates(ctx, cas, &why))
            m_problem = QStringLiteral("TLS: %1: %2").arg(name, why);
    } else {
        trustSystemStore(ctx);
    }
    if (!settings.clientCert.empty() && m_problem.isEmpty()) {
        const QList<QSslCertificate> chain =
            QSslCertificate::fromData(readFile(settings.clientCert, &m_problem), QSsl::Pem);
        const QSslKey key = privateKeyOf(readFile(settings.clientKey, &m_problem));
        const QString names =
            QStringLiteral("%1 or its key %2")
                .arg(QString::fromStdString(settings.clientCert), QString::fromStdString(settings.clientKey));
        if (m_problem.isEmpty() && (chain.isEmpty() || key.isNull()))
            m_problem = QStringLiteral("TLS: the client certificate %1 no longer reads").arg(names);
        else if (m_problem.isEmpty() && !useCertificateChain(ctx, chain, key, &why))
            m_problem = QStringLiteral("TLS: the client certificate %1 is refused: %2").arg(names, why);
    }
}

SSL *UpstreamTlsSession::newConnection(TlsHandshakeReport *report)
{
    ERR_clear_error();
    SSL *ssl = m_context ? SSL_new(m_context) : nullptr;
    if (!ssl)
        return nullptr;
    const QByteArray name = m_peerName.toUtf8();
    bool ready = SSL_set_ex_data(ssl, reportIndex(), report) == 1;
    if (!m_peerIsAddress) // SNI carries only names
        ready = ready && SSL_set_tlsext_host_name(ssl, name.constData()) == 1;
    if (m_verify)
        ready = ready && (m_peerIsAddress ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.constData())
                                          : SSL_set1_host(ssl, name.constData())) == 1;
    if (m_session) {
        // A copy: OpenSSL marks the session a connection used as never to
        // be resumed when the connection closes without close_notify, as
        // an upstream's connections often do.
        SSL_SESSION *copy = SSL_SESSION_dup(m_session);
        ready = ready && copy && SSL_set_session(ssl, copy) == 1;
        SSL_SESSION_free(copy);
    }
    if (!ready) {
        SSL_free(ssl);
        return nullptr;
    }
    return ssl;
}

int UpstreamTlsSession::keepSession(SSL *ssl, SSL_SESSION *session)
{
    auto *self = static_cast<UpstreamTlsSession *>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), sessionIndex()));
    SSL_SESSION *copy = self ? SSL_SESSION_dup(session) : nullptr; // as in newConnection
    if (copy) {
        SSL_SESSION_free(self->m_session);
        self->m_session = copy;
    }
    return 0; // the connection keeps its own
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
