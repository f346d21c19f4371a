// One connection to a Redis server on the Qt event loop (hiredis async).
// Commands are answered through callbacks, each exactly once: with the
// server's reply, or with a client error when it timed out, when the
// connection was lost before the answer, or when there was no connection.
// A command that times out drops the connection (a server that does not
// answer one command will not answer the next); a lost connection comes back
// by itself, after 0.2 s doubling to 10 s with ±20 % jitter. A wrong password
// or database is a configuration error: the connection stays down and says
// why. Callbacks are never called once the connection is destroyed; it may
// be deleted from a callback or a slot.
#pragma once

#include "shared/redisreply.h"
#include "shared/redisurl.h"

#include <QByteArrayList>
#include <QObject>
#include <QTimer>
#include <chrono>
#include <functional>
#include <map>

struct redisAsyncContext;

namespace bb::shared {

class RedisEventAdapter;

class RedisConnection : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected };
    Q_ENUM(State)
    using Callback = std::function<void(const RedisReply &)>;

    explicit RedisConnection(QObject *parent = nullptr);
    ~RedisConnection() override;

    // Connects (AUTH when password is given, SELECT when db is not 0) and
    // keeps the connection up until disconnectFromServer().
    void connectTo(const QString &host, quint16 port, int db = 0, const QByteArray &password = {});
    void connectTo(const RedisAddress &address);
    void disconnectFromServer();

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; }

    // Answered after the connection is up when sent while Connecting; with a
    // client error (asynchronously) when Disconnected.
    void command(const QByteArrayList &args, Callback callback);
    void command(const QByteArrayList &args, std::chrono::milliseconds timeout, Callback callback);
    // For a subscription (SUBSCRIBE, PSUBSCRIBE): the callback sees every
    // reply for it, without a timeout, until the connection is lost; it is
    // not called for the loss.
    void subscription(const QByteArrayList &args, Callback callback);

    void setCommandTimeout(std::chrono::milliseconds timeout) { m_commandTimeout = timeout; }
    std::chrono::milliseconds commandTimeout() const { return m_commandTimeout; }

signals:
    void stateChanged(bb::shared::RedisConnection::State state, const QString &why);

private:
    struct Pending {
        Callback callback;
        std::chrono::steady_clock::time_point deadline;
        std::chrono::milliseconds timeout{0};
        bool subscription = false;
    };

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);

    void open();
    void handshake();
    bool send(const QByteArrayList &args, Pending pending);
    void deliver(quint64 id, const RedisReply &reply);
    void detachContext(bool free);
    void lost(const QString &why, bool retry, const std::map<quint64, Pending> &timedOut = {});
    void expireTimedOut();
    void armTimeoutTimer();
    void setState(State state, const QString &why);

    QString m_host;
    quint16 m_port = 0;
    int m_db = 0;
    QByteArray m_password;
    bool m_wanted = false; // connectTo() was called, disconnectFromServer() not since

    redisAsyncContext *m_context = nullptr;
    RedisEventAdapter *m_adapter = nullptr;
    State m_state = State::Disconnected;
    QString m_lastError;
    std::map<quint64, Pending> m_pending; // by id, which is also the order sent
    quint64 m_nextId = 1;
    std::chrono::milliseconds m_commandTimeout{1000};
    QTimer m_timeoutTimer;
    QTimer m_reconnectTimer;
    int m_failures = 0;
};

} // namespace bb::shared
