#include "instance.h"

#include <QHostAddress>

namespace bb::remote {

namespace {
QString reasonAgainst(const QUrl &url) {
    if (!url.isValid()) {
        // Qt's text goes on with the whole URL and its parts after a ';'.
        const QString why = url.errorString().section(QLatin1Char(';'), 0, 0);
        return QStringLiteral("is not a valid URL (%1)").arg(why.left(1).toLower() + why.mid(1));
    }
    if (url.host().isEmpty())
        return QStringLiteral("needs a host, such as http://127.0.0.1:9901");
    if (url.port() < 1)
        return QStringLiteral("needs a port, such as %1://%2:9901").arg(url.scheme(), url.host());
    if (!url.userInfo().isEmpty())
        return QStringLiteral(
            "must not carry a user name or password (a token goes in a token file)");
    if (!url.path().isEmpty() && url.path() != QLatin1String("/"))
        return QStringLiteral("has a path (%1): give the admin API's address only, such as %2://%3")
            .arg(url.path(), url.scheme(), url.authority());
    if (url.hasQuery() || url.hasFragment())
        return QStringLiteral(
            "must not have a query or a fragment: give the admin API's address only");
    return {};
}
} // namespace

std::optional<Instance> instanceFromUrl(const QString &text, const QString &tokenFile,
                                        const QString &caFile, QString *error) {
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString trimmed = text.trimmed();
    if (!trimmed.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) &&
        !trimmed.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
        return fail(
            QStringLiteral("must start with http:// or https://, such as http://127.0.0.1:9901"));
    const QUrl url(trimmed, QUrl::StrictMode);
    if (const QString why = reasonAgainst(url); !why.isEmpty())
        return fail(why);
    QUrl base;
    base.setScheme(url.scheme().toLower());
    base.setHost(url.host());
    base.setPort(url.port());
    return Instance{base.authority(), base, tokenFile, caFile};
}

bool isLoopback(const QUrl &url) {
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QHostAddress address;
    return address.setAddress(host) && address.isLoopback();
}

} // namespace bb::remote
