#include "redisurl.h"

#include <QUrl>

namespace bb::shared {

namespace {
std::optional<RedisAddress> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}
} // namespace

std::optional<RedisAddress> parseRedisUrl(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(error, QStringLiteral("empty Redis URL: expected redis://[:password@]HOST:PORT[/DB]"));
    if (!trimmed.contains(QLatin1String("://")))
        return fail(error, QStringLiteral("Redis URL has no scheme: expected redis://[:password@]HOST:PORT[/DB]"));
    const QUrl url(trimmed, QUrl::StrictMode);
    // The URL is not echoed: it may hold a password.
    if (!url.isValid())
        return fail(error, QStringLiteral("not a valid Redis URL: expected redis://[:password@]HOST:PORT[/DB]"));
    if (url.scheme().compare(QStringLiteral("redis"), Qt::CaseInsensitive) != 0)
        return fail(error, QStringLiteral("Redis URL scheme \"%1\" is not supported: expected redis://")
                               .arg(url.scheme()));
    RedisAddress a;
    a.host = url.host();
    if (a.host.isEmpty())
        return fail(error, QStringLiteral("Redis URL has no host: expected redis://[:password@]HOST:PORT[/DB]"));
    if (url.port() <= 0)
        return fail(error, QStringLiteral("Redis URL has no port (or port 0): expected HOST:PORT, e.g. 127.0.0.1:6379"));
    a.port = quint16(url.port());
    if (!url.userName().isEmpty())
        return fail(error, QStringLiteral("Redis URL names a user: only a password is supported, as :password@"));
    a.password = url.password(QUrl::FullyDecoded).toUtf8();
    if (url.hasQuery() || url.hasFragment())
        return fail(error, QStringLiteral("Redis URL has a query or fragment: expected nothing after /DB"));
    QString path = url.path();
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        a.db = path.toInt(&ok);
        if (!ok || a.db < 0)
            return fail(error, QStringLiteral("Redis URL database \"%1\" is not a number from 0 up").arg(path));
    }
    return a;
}

} // namespace bb::shared
