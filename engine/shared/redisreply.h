// One Redis reply as a value: what the server answered (nil, integer, bulk
// string, array, error, status), or an error the client made up when the
// answer could not come (timed out, connection lost, not connected).
#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>

namespace bb::shared {

struct RedisReply {
    enum class Type { Nil, Integer, String, Array, Error, Status };

    Type type = Type::Nil;
    qint64 integer = 0;
    QByteArray text; // String, Status and Error
    QList<RedisReply> elements; // Array
    bool fromClient = false; // an Error made here, not by the server

    static RedisReply clientError(const QByteArray &message);

    bool isError() const { return type == Type::Error; }
    bool isNil() const { return type == Type::Nil; }
    bool operator==(const RedisReply &other) const = default;
};

// Converts hiredis's reply tree (a `const redisReply *`, kept out of this
// header so users need no hiredis headers).
RedisReply replyFromHiredis(const void *hiredisReply);

} // namespace bb::shared
