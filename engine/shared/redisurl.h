// Where a Redis server is: parsed from redis://[:password@]HOST:PORT[/DB].
#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace bb::shared {

struct RedisAddress {
    QString host;
    quint16 port = 0;
    int db = 0;
    QByteArray password; // empty: no AUTH
};

// nullopt with *error saying what is wrong (and never echoing a password)
// when the text is not such a URL.
std::optional<RedisAddress> parseRedisUrl(const QString &url, QString *error);

} // namespace bb::shared
