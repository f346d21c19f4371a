#include "redissubscriber.h"

namespace bb::shared {

RedisSubscriber::RedisSubscriber(QObject *parent) : QObject(parent)
{
    connect(&m_connection, &RedisConnection::stateChanged, this,
            [this](RedisConnection::State state, const QString &why) {
                if (state == RedisConnection::State::Connected) {
                    for (const QByteArray &c : std::as_const(m_channels))
                        send("SUBSCRIBE", c);
                    for (const QByteArray &p : std::as_const(m_patterns))
                        send("PSUBSCRIBE", p);
                } else {
                    m_active.clear();
                }
                emit stateChanged(state, why);
            });
}

void RedisSubscriber::connectTo(const QString &host, quint16 port, const QByteArray &password)
{
    m_connection.connectTo(host, port, 0, password);
}

void RedisSubscriber::connectTo(const RedisAddress &address)
{
    connectTo(address.host, address.port, address.password);
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_connection.state() == RedisConnection::State::Connected)
        send("SUBSCRIBE", channel);
}

void RedisSubscriber::psubscribe(const QByteArray &pattern)
{
    if (m_patterns.contains(pattern))
        return;
    m_patterns.insert(pattern);
    if (m_connection.state() == RedisConnection::State::Connected)
        send("PSUBSCRIBE", pattern);
}

void RedisSubscriber::send(const QByteArray &verb, const QByteArray &name)
{
    m_connection.subscription({verb, name}, [this](const RedisReply &reply) { received(reply); });
}

// ["subscribe", name, count], ["message", channel, payload],
// ["pmessage", pattern, channel, payload].
void RedisSubscriber::received(const RedisReply &reply)
{
    const QList<RedisReply> &e = reply.elements;
    if (reply.type != RedisReply::Type::Array || e.size() < 3)
        return;
    const QByteArray kind = e[0].text;
    if (kind == "subscribe" || kind == "psubscribe")
        m_active.insert(e[1].text);
    else if (kind == "message")
        emit message(e[1].text, e[2].text);
    else if (kind == "pmessage" && e.size() >= 4)
        emit message(e[2].text, e[3].text);
}

} // namespace bb::shared
