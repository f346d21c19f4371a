#include "adminclient.h"

#include "control/apijson.h"

#include <QFile>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QTimer>
#include <algorithm>

namespace bb::remote {

namespace {
// A token becomes a header line: nothing in it may end or split that line.
bool fitsInAHeader(const QByteArray &token) {
    return std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c != 0x7f; });
}
} // namespace

AdminClient::AdminClient(Instance instance, QObject *parent)
    : QObject(parent)
    , m_instance(std::move(instance)) {
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    if (const QString unusable = readLocalFiles(); !unusable.isEmpty())
        refuse(LinkProblem::LocalFile, unusable);
    else if (!m_token.isEmpty() && m_instance.url.scheme() == QLatin1String("http") &&
             !isLoopback(m_instance.url))
        refuse(LinkProblem::Unsafe,
               QStringLiteral(
                   "a token is never sent over plain http to a non-loopback address; use https"));
}

QString AdminClient::readLocalFiles() {
    if (!m_instance.tokenFile.isEmpty()) {
        QFile f(m_instance.tokenFile);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the token file %1: %2")
                .arg(f.fileName(), f.errorString());
        m_token = f.readAll().trimmed();
        if (m_token.isEmpty())
            return QStringLiteral("the token file %1 is empty").arg(f.fileName());
        if (!fitsInAHeader(m_token)) {
            m_token.clear();
            return QStringLiteral("the token in %1 has spaces or control characters")
                .arg(f.fileName());
        }
    }
    if (!m_instance.caFile.isEmpty()) {
        QFile f(m_instance.caFile);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read the CA file %1: %2")
                .arg(f.fileName(), f.errorString());
        m_caCertificates = QSslCertificate::fromData(f.readAll(), QSsl::Pem);
        if (m_caCertificates.isEmpty())
            return QStringLiteral("the CA file %1 holds no PEM certificate").arg(f.fileName());
    }
    return {};
}

AdminClient::~AdminClient() {
    // The replies go with the network manager, after this object is gone.
    for (QNetworkReply *reply : m_network.findChildren<QNetworkReply *>())
        disconnect(reply, nullptr, this, nullptr);
}

void AdminClient::refuse(LinkProblem kind, const QString &message) {
    m_problemKind = kind;
    m_problem = message;
}

QNetworkRequest AdminClient::request(const QString &path) const {
    QNetworkRequest r(m_instance.url.resolved(QUrl(path)));
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!m_token.isEmpty() && m_problemKind == LinkProblem::None)
        r.setRawHeader("Authorization", "Bearer " + m_token);
    if (m_instance.url.scheme() == QLatin1String("https")) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!m_caCertificates.isEmpty())
            tls.setCaCertificates(m_caCertificates); // these alone, not the system's as well
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        r.setSslConfiguration(tls);
    }
    return r;
}

void AdminClient::whenFinished(QNetworkReply *reply, std::function<void(const Reply &)> done) {
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        done(replyOf(reply));
    });
}

bool AdminClient::refuseEarly(std::function<void(const Reply &)> &done) {
    if (m_problemKind == LinkProblem::None)
        return false;
    QTimer::singleShot(0, this, [this, done = std::move(done)] {
        done({0, {}, m_problemKind, m_problem});
    });
    return true;
}

void AdminClient::get(const QString &path, std::function<void(const Reply &)> done) {
    if (refuseEarly(done))
        return;
    QNetworkRequest r = request(path);
    r.setTransferTimeout(kTimeoutMs);
    whenFinished(m_network.get(r), std::move(done));
}

void AdminClient::send(const QByteArray &method, const QString &path, const QJsonObject &body,
                       std::function<void(const Reply &)> done) {
    if (refuseEarly(done))
        return;
    QNetworkRequest r = request(path);
    r.setTransferTimeout(kTimeoutMs);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    whenFinished(
        m_network.sendCustomRequest(r, method, QJsonDocument(body).toJson(QJsonDocument::Compact)),
        std::move(done));
}

namespace {
const QString kInstancePath = QStringLiteral("/api/v1/instance");
}

void AdminClient::identify(std::function<void(const Reply &)> done) {
    get(kInstancePath, [done = std::move(done)](const Reply &r) { done(identityOf(r)); });
}

Reply AdminClient::identityOf(Reply r) {
    const auto notBreakerboard = [&](const QString &answer) {
        r.problem = LinkProblem::NotBreakerboard;
        r.message = QStringLiteral("not a Breakerboard admin API (GET %1 answered %2)")
                        .arg(kInstancePath, answer);
    };
    const QJsonObject o = r.json();
    const QJsonValue api = o.value(QLatin1String("api"));
    if (r.problem == LinkProblem::Http)
        notBreakerboard(QString::number(r.status));
    else if (r.ok() &&
             o.value(QLatin1String("product")).toString() != QLatin1String(control::kProductName))
        notBreakerboard(QStringLiteral("%1 without \"product\": \"%2\"")
                            .arg(r.status)
                            .arg(control::kProductName));
    else if (r.ok() && api.toInt(-1) != control::kApiVersion) {
        r.problem = LinkProblem::VersionMismatch;
        r.message =
            QStringLiteral("API version %1, this program speaks %2")
                .arg(api.isDouble() ? QString::number(api.toDouble()) : QStringLiteral("unknown"))
                .arg(control::kApiVersion);
    }
    return r;
}

} // namespace bb::remote
