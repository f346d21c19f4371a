#include "redisreply.h"

#include <hiredis.h>

namespace bb::shared {

RedisReply RedisReply::clientError(const QByteArray &message)
{
    RedisReply r;
    r.type = Type::Error;
    r.text = message;
    r.fromClient = true;
    return r;
}

RedisReply replyFromHiredis(const void *hiredisReply)
{
    const auto *in = static_cast<const redisReply *>(hiredisReply);
    RedisReply out;
    if (!in)
        return out;
    switch (in->type) {
    case REDIS_REPLY_STRING:
        out.type = RedisReply::Type::String;
        out.text = QByteArray(in->str, qsizetype(in->len));
        break;
    case REDIS_REPLY_STATUS:
        out.type = RedisReply::Type::Status;
        out.text = QByteArray(in->str, qsizetype(in->len));
        break;
    case REDIS_REPLY_ERROR:
        out.type = RedisReply::Type::Error;
        out.text = QByteArray(in->str, qsizetype(in->len));
        break;
    case REDIS_REPLY_INTEGER:
        out.type = RedisReply::Type::Integer;
        out.integer = in->integer;
        break;
    case REDIS_REPLY_ARRAY:
        out.type = RedisReply::Type::Array;
        out.elements.reserve(qsizetype(in->elements));
        for (size_t i = 0; i < in->elements; ++i)
            out.elements.append(replyFromHiredis(in->element[i]));
        break;
    default: // REDIS_REPLY_NIL
        break;
    }
    return out;
}

} // namespace bb::shared
