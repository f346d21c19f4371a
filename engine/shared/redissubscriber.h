// Subscriptions to Redis channels and patterns on a connection of their own:
// each message arrives as a signal. After the connection comes back, every
// channel and pattern is subscribed again; messages published while it was
// down are lost (Redis pub/sub keeps none).
#pragma once

#include "shared/redisconnection.h"

#include <QSet>

namespace bb::shared {

class RedisSubscriber : public QObject {
    Q_OBJECT
public:
    explicit RedisSubscriber(QObject *parent = nullptr);

    void connectTo(const QString &host, quint16 port, const QByteArray &password = {});
    void connectTo(const RedisAddress &address);
    void subscribe(const QByteArray &channel);
    void psubscribe(const QByteArray &pattern);

    RedisConnection::State state() const { return m_connection.state(); }
    QString lastError() const { return m_connection.lastError(); }
    // Confirmed by the server on the current connection.
    bool isActive(const QByteArray &channelOrPattern) const { return m_active.contains(channelOrPattern); }

signals:
    void message(const QByteArray &channel, const QByteArray &payload);
    void stateChanged(bb::shared::RedisConnection::State state, const QString &why);

private:
    void send(const QByteArray &verb, const QByteArray &name);
    void received(const RedisReply &reply);

    RedisConnection m_connection;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    QSet<QByteArray> m_active;
};

} // namespace bb::shared
