// Shared by the end-to-end tests of instances that share state through a
// real redis-server: named instances started side by side, the test's own
// commands to Redis, and waiting for a proxy's answer.
#pragma once

#include "e2etesting.h"
#include "redisprocess.h"
#include "redisreplies.h"

#include <QThread>

#include <memory>
#include <vector>

namespace bb::testing {

// One command to the test's redis-server, on a connection of its own.
inline bb::shared::RedisReply redisCommand(const RedisProcess &redis, const QByteArrayList &args) {
    bb::shared::RedisConnection connection;
    connection.connectTo(QStringLiteral("127.0.0.1"), redis.port());
    return call(connection, args);
}

inline QJsonObject json(const std::optional<Response> &r) {
    return r ? QJsonDocument::fromJson(r->body).object() : QJsonObject();
}

// One named instance of the fleet; started again in the same state
// directory or in a new one.
struct Member {
    QString name;
    QString configText;
    std::unique_ptr<QTemporaryDir> dir = std::make_unique<QTemporaryDir>();
    std::unique_ptr<Instance> bb;

    Member(QString n, QString text)
        : name(std::move(n))
        , configText(std::move(text)) {
        renew(false);
    }
    void renew(bool newStateDir) {
        bb.reset();
        if (newStateDir)
            dir = std::make_unique<QTemporaryDir>();
        bb = std::make_unique<Instance>(*dir, writeConfig(*dir, configText));
        bb->extraArguments = {QStringLiteral("--instance"), name};
    }
    Instance &operator*() { return *bb; }
    Instance *operator->() { return bb.get(); }
};

// The instances side by side: all launched, then each waited for.
inline bool startAll(const std::vector<Member *> &members) {
    for (Member *m : members)
        (*m)->launch();
    bool ok = true;
    for (Member *m : members)
        if (!(*m)->waitStarted()) {
            qWarning("%s did not start:\n%s\n%s", qPrintable(m->name), (*m)->out.constData(),
                     (*m)->process.readAllStandardError().constData());
            ok = false;
        }
    return ok;
}

inline std::optional<Response> changeState(Instance &i, const char *service, const QByteArray &body) {
    return i.admin("POST", QByteArray("/api/v1/breakers/") + service + "/state", body);
}

// Requests service's path through the proxy until it answers status; the
// milliseconds that took, or -1 when it did not within the timeout.
inline qint64 untilStatus(Instance &i, const QByteArray &path, int status, int timeoutMs = 5000) {
    QElapsedTimer clock;
    clock.start();
    auto client = std::make_unique<HttpClient>(i.proxyPort);
    while (clock.elapsed() < timeoutMs) {
        const auto r = client->get(path);
        if (r && r->status == status)
            return clock.elapsed();
        if (!r)
            client = std::make_unique<HttpClient>(i.proxyPort);
        QThread::msleep(2);
    }
    return -1;
}

} // namespace bb::testing
