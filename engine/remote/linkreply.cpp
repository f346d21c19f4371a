// What a finished request came to: Reply, and the classification of a
// QNetworkReply into a LinkProblem with one line for people.
#include "adminclient.h"

#include <QJsonDocument>
#include <QNetworkReply>

namespace bb::remote {

namespace {
QString hostPort(const QUrl &url) {
    return url.adjusted(QUrl::RemoveUserInfo).authority();
}

QString methodOf(const QNetworkReply *reply) {
    switch (reply->operation()) {
    case QNetworkAccessManager::HeadOperation:
        return QStringLiteral("HEAD");
    case QNetworkAccessManager::GetOperation:
        return QStringLiteral("GET");
    case QNetworkAccessManager::PutOperation:
        return QStringLiteral("PUT");
    case QNetworkAccessManager::PostOperation:
        return QStringLiteral("POST");
    case QNetworkAccessManager::DeleteOperation:
        return QStringLiteral("DELETE");
    default:
        return QString::fromLatin1(
            reply->request().attribute(QNetworkRequest::CustomVerbAttribute).toByteArray());
    }
}

// Qt says "SSL handshake failed: WHY" when the peer's certificate was refused.
QString tlsFailure(const QString &qtText) {
    static const QString kRefused = QStringLiteral("SSL handshake failed: ");
    if (qtText.startsWith(kRefused))
        return QStringLiteral("certificate error: ") + qtText.mid(kRefused.size());
    return QStringLiteral("TLS handshake failed: ") + qtText;
}

// The network error of a reply that got no HTTP status.
Reply unanswered(QNetworkReply *reply) {
    const QUrl url = reply->url();
    const auto unreachable = [](const QString &message) {
        return Reply{0, {}, LinkProblem::Unreachable, message};
    };
    switch (reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        return unreachable(QStringLiteral("connection refused by %1").arg(hostPort(url)));
    case QNetworkReply::HostNotFoundError:
        return unreachable(QStringLiteral("host not found: %1").arg(url.host()));
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // the transfer timeout ends a reply this way
        return unreachable(QStringLiteral("no answer from %1 within %2 s")
                               .arg(hostPort(url))
                               .arg(AdminClient::kTimeoutMs / 1000));
    case QNetworkReply::RemoteHostClosedError:
        return unreachable(
            QStringLiteral("%1 closed the connection without answering").arg(hostPort(url)));
    case QNetworkReply::SslHandshakeFailedError:
        return {0, {}, LinkProblem::Tls, tlsFailure(reply->errorString())};
    default:
        return unreachable(QStringLiteral("%1: %2").arg(hostPort(url), reply->errorString()));
    }
}
} // namespace

bool Reply::ok() const {
    return problem == LinkProblem::None && status >= 200 && status < 300;
}

QJsonObject Reply::json() const {
    return QJsonDocument::fromJson(body).object();
}

QString describe(LinkProblem problem) {
    switch (problem) {
    case LinkProblem::None:
        return QStringLiteral("ok");
    case LinkProblem::Unreachable:
        return QStringLiteral("unreachable");
    case LinkProblem::TokenRefused:
        return QStringLiteral("token refused");
    case LinkProblem::Tls:
        return QStringLiteral("TLS error");
    case LinkProblem::NotBreakerboard:
        return QStringLiteral("not Breakerboard");
    case LinkProblem::VersionMismatch:
        return QStringLiteral("other API version");
    case LinkProblem::Unsafe:
        return QStringLiteral("unsafe: token over plain http");
    case LinkProblem::Http:
        return QStringLiteral("HTTP error");
    case LinkProblem::LocalFile:
        return QStringLiteral("token or CA file unusable");
    }
    return {};
}

Reply AdminClient::replyOf(QNetworkReply *reply) {
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return unanswered(reply);
    Reply r{status.toInt(), reply->readAll(), LinkProblem::None, {}};
    if (r.status >= 200 && r.status < 300)
        return r;
    const QString said = r.json().value(QLatin1String("error")).toString();
    if (r.status == 401) {
        r.problem = LinkProblem::TokenRefused;
        r.message = reply->request().hasRawHeader("Authorization")
                        ? QStringLiteral("the token was refused (401)")
                        : QStringLiteral("a token is needed here (401): give a token file");
        return r;
    }
    r.problem = LinkProblem::Http;
    r.message = QStringLiteral("%1 %2 answered %3%4")
                    .arg(methodOf(reply), reply->url().path())
                    .arg(r.status)
                    .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said);
    return r;
}

} // namespace bb::remote
