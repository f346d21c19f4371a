// Waiting for one command's answer in a test: the event loop runs until the
// callback was called (at most once; a second call fails the test).
#pragma once

#include "shared/redisconnection.h"

#include <QTest>
#include <optional>

namespace bb::testing {

inline shared::RedisReply call(shared::RedisConnection &connection, const QByteArrayList &args)
{
    auto answer = std::make_shared<std::optional<shared::RedisReply>>();
    connection.command(args, [answer](const shared::RedisReply &reply) {
        QVERIFY2(!answer->has_value(), "a command was answered twice");
        *answer = reply;
    });
    if (!QTest::qWaitFor([&] { return answer->has_value(); }, 10000))
        return shared::RedisReply::clientError("the test saw no answer");
    return **answer;
}

inline shared::RedisReply str(const QByteArray &text)
{
    shared::RedisReply r;
    r.type = shared::RedisReply::Type::String;
    r.text = text;
    return r;
}

} // namespace bb::testing
