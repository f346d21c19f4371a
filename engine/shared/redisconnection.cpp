#include "redisconnection.h"

#include "shared/reconnectbackoff.h"
#include "shared/rediseventadapter.h"

#include <QPointer>
#include <QRandomGenerator>
#include <async.h>
#include <hiredis.h>
#include <vector>

namespace bb::shared {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

RedisConnection::RedisConnection(QObject *parent) : QObject(parent), m_adapter(new RedisEventAdapter(this))
{
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &RedisConnection::expireTimedOut);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        if (m_wanted && !m_context)
            open();
    });
}

// Pending callbacks are dropped, not called: whoever destroys the connection
// no longer waits for its answers.
RedisConnection::~RedisConnection()
{
    m_wanted = false;
    detachContext(true);
}

void RedisConnection::connectTo(const QString &host, quint16 port, int db, const QByteArray &password)
{
    if (m_context) {
        detachContext(true);
        lost(QStringLiteral("connecting to another server"), false);
    }
    m_host = host;
    m_port = port;
    m_db = db;
    m_password = password;
    m_wanted = true;
    m_failures = 0;
    m_reconnectTimer.stop();
    open();
}

void RedisConnection::connectTo(const RedisAddress &address)
{
    connectTo(address.host, address.port, address.db, address.password);
}

void RedisConnection::disconnectFromServer()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    detachContext(true);
    lost(QStringLiteral("disconnected by this client"), false);
}

void RedisConnection::open()
{
    const QString where = QStringLiteral("%1:%2").arg(m_host).arg(m_port);
    redisAsyncContext *context = redisAsyncConnect(m_host.toUtf8().constData(), m_port);
    if (!context || context->err) {
        const QString why = context ? QString::fromUtf8(context->errstr) : QStringLiteral("out of memory");
        if (context)
            redisAsyncFree(context);
        lost(QStringLiteral("cannot connect to Redis at %1: %2").arg(where, why), true);
        return;
    }
    m_context = context;
    context->data = this;
    redisEnableKeepAlive(&context->c);
    m_adapter->attach(context);
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    setState(State::Connecting, QStringLiteral("connecting to Redis at %1").arg(where));
    handshake();
}

// AUTH and SELECT go first, then PING: the connection counts as up once the
// server has answered. A refused password or database is not retried.
void RedisConnection::handshake()
{
    const auto refused = [this](const QString &what) {
        return [this, what](const RedisReply &reply) {
            if (!reply.isError() || reply.fromClient)
                return; // fine, or the loss is already being handled
            detachContext(true);
            const bool retry = reply.text.startsWith("LOADING") || reply.text.startsWith("BUSY");
            lost(QStringLiteral("%1: %2").arg(what, QString::fromUtf8(reply.text)), retry);
        };
    };
    const auto deadline = Clock::now() + m_commandTimeout;
    if (!m_password.isEmpty())
        send({"AUTH", m_password}, {refused(QStringLiteral("Redis refused the password")), deadline, m_commandTimeout});
    if (m_db != 0)
        send({"SELECT", QByteArray::number(m_db)},
             {refused(QStringLiteral("Redis refused database %1").arg(m_db)), deadline, m_commandTimeout});
    const auto pingRefused = refused(QStringLiteral("Redis refused the connection"));
    send({"PING"}, {[this, pingRefused](const RedisReply &reply) {
                        if (reply.isError())
                            return pingRefused(reply);
                        m_failures = 0;
                        setState(State::Connected, QStringLiteral("connected to Redis at %1:%2").arg(m_host).arg(m_port));
                    },
                    deadline, m_commandTimeout});
}

void RedisConnection::command(const QByteArrayList &args, Callback callback)
{
    command(args, m_commandTimeout, std::move(callback));
}

void RedisConnection::command(const QByteArrayList &args, milliseconds timeout, Callback callback)
{
    if (m_context && send(args, {callback, Clock::now() + timeout, timeout}))
        return;
    const QByteArray why = "not connected to Redis" + (m_lastError.isEmpty() ? QByteArray() : ": " + m_lastError.toUtf8());
    QTimer::singleShot(0, this, [callback, why] { callback(RedisReply::clientError(why)); });
}

void RedisConnection::subscription(const QByteArrayList &args, Callback callback)
{
    if (m_context)
        send(args, {std::move(callback), Clock::time_point::max(), {}, true});
}

bool RedisConnection::send(const QByteArrayList &args, Pending pending)
{
    std::vector<const char *> argv;
    std::vector<size_t> lengths;
    for (const QByteArray &a : args) {
        argv.push_back(a.constData());
        lengths.push_back(size_t(a.size()));
    }
    const quint64 id = m_nextId++;
    m_pending.emplace(id, std::move(pending));
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, reinterpret_cast<void *>(quintptr(id)),
                              int(argv.size()), argv.data(), lengths.data())
        != REDIS_OK) {
        m_pending.erase(id);
        return false;
    }
    armTimeoutTimer();
    // Out now, not when the loop next turns: whatever the thread does next
    // (a file written and synced) does not delay it. A failed write is left
    // for the loop's write event, which loses the connection as usual.
    if (m_state == State::Connected) {
        int done = 0;
        redisBufferWrite(&m_context->c, &done);
    }
    return true;
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    // No reply: the context is going away; the loss answers what was pending.
    auto *self = static_cast<RedisConnection *>(context->data);
    if (self && reply)
        self->deliver(quint64(reinterpret_cast<quintptr>(privdata)), replyFromHiredis(reply));
}

void RedisConnection::deliver(quint64 id, const RedisReply &reply)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // already answered (timed out)
    Callback callback = it->second.callback;
    if (!it->second.subscription) {
        m_pending.erase(it);
        armTimeoutTimer();
    }
    callback(reply); // may delete this: nothing after
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || status == REDIS_OK)
        return;
    const QString why = QStringLiteral("cannot connect to Redis at %1:%2: %3")
                            .arg(self->m_host)
                            .arg(self->m_port)
                            .arg(QString::fromUtf8(context->errstr));
    self->detachContext(false); // hiredis frees the context after this
    self->lost(why, true);
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self)
        return;
    const QString why = status == REDIS_OK ? QStringLiteral("Redis closed the connection")
                                           : QStringLiteral("connection to Redis lost: %1")
                                                 .arg(QString::fromUtf8(context->errstr));
    self->detachContext(false); // hiredis frees the context after this
    self->lost(why, true);
}

// After this hiredis never calls back here about the old context, whenever
// it frees it (at once, or when its running callback returns).
void RedisConnection::detachContext(bool free)
{
    redisAsyncContext *context = std::exchange(m_context, nullptr);
    if (!context)
        return;
    context->data = nullptr;
    m_adapter->detach();
    if (free)
        redisAsyncFree(context);
}

void RedisConnection::lost(const QString &why, bool retry, const std::map<quint64, Pending> &timedOut)
{
    QPointer<RedisConnection> alive(this);
    const bool news = m_state != State::Disconnected || m_lastError != why;
    m_lastError = why;
    m_state = State::Disconnected;
    m_timeoutTimer.stop();
    if (retry && m_wanted) {
        const auto delay = reconnectDelay(m_failures++, QRandomGenerator::global()->generateDouble());
        m_reconnectTimer.start(delay);
    }
    const auto pending = std::exchange(m_pending, {});
    for (const auto &[id, p] : timedOut) {
        p.callback(RedisReply::clientError(QStringLiteral("Redis command timed out after %1 ms").arg(p.timeout.count()).toUtf8()));
        if (!alive)
            return;
    }
    for (const auto &[id, p] : pending) {
        if (p.subscription)
            continue;
        p.callback(RedisReply::clientError(why.toUtf8()));
        if (!alive)
            return;
    }
    if (news)
        emit stateChanged(State::Disconnected, why);
}

void RedisConnection::expireTimedOut()
{
    const auto now = Clock::now();
    std::map<quint64, Pending> expired;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (!it->second.subscription && it->second.deadline <= now) {
            expired.insert(m_pending.extract(it++));
        } else {
            ++it;
        }
    }
    if (expired.empty()) {
        armTimeoutTimer();
        return;
    }
    // A server that did not answer one command is not trusted with the next.
    detachContext(true);
    lost(QStringLiteral("Redis did not answer within %1 ms").arg(expired.begin()->second.timeout.count()), true,
         expired);
}

void RedisConnection::armTimeoutTimer()
{
    auto first = Clock::time_point::max();
    for (const auto &[id, p] : m_pending)
        if (!p.subscription)
            first = std::min(first, p.deadline);
    if (first == Clock::time_point::max()) {
        m_timeoutTimer.stop();
        return;
    }
    const auto wait = std::chrono::ceil<milliseconds>(first - Clock::now());
    m_timeoutTimer.start(std::max(wait, milliseconds(0)));
}

void RedisConnection::setState(State state, const QString &why)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state, why);
}

} // namespace bb::shared
