#include "cacheshare.h"

#include "proxy/cacheentrycodec.h"

namespace bb::cluster {

CacheShare::CacheShare(shared::RedisConnection &redis, const QByteArray &prefix,
                       std::shared_ptr<const proxy::RouteTable> routes, const Clock &clock, Refuse refuse)
    : m_redis(redis), m_prefix(prefix + "cache:"), m_channel(prefix + "cache"), m_routes(std::move(routes)),
      m_clock(clock), m_refuse(std::move(refuse))
{
    for (proxy::ServiceRuntime *s : m_routes->cachedServices())
        s->cache.shareOutgoing(true);
}

CacheShare::~CacheShare()
{
    *m_alive = false;
    for (proxy::ServiceRuntime *s : m_routes->cachedServices())
        s->cache.shareOutgoing(false);
}

proxy::ServiceRuntime *CacheShare::service(const QByteArray &name) const
{
    for (proxy::ServiceRuntime *s : m_routes->cachedServices())
        if (s->config.name == name.toStdString())
            return s;
    return nullptr;
}

void CacheShare::drain()
{
    if (m_redis.state() != shared::RedisConnection::State::Connected)
        return; // the cache keeps marking what is unsent; it goes once Redis is back
    const TimePoint now = m_clock.now();
    for (proxy::ServiceRuntime *s : m_routes->cachedServices()) {
        const proxy::CacheOutgoing out = s->cache.takeOutgoing();
        for (const auto &[key, response] : out.entries) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(s->cache.ttl() - (now - response.storedAt));
            if (left.count() <= 0 || key.size() > kMaxKeyBytes)
                continue;
            const QByteArray message = m_instance + '\n' + QByteArray::fromStdString(s->config.name) + '\n' +
                                       QByteArray::fromStdString(key) + '\n' +
                                       proxy::encodeCachedResponse(response, m_clock.wallMs(response.storedAt));
            const QByteArray redisKey = m_prefix + QByteArray::fromStdString(s->config.name) + ':' + QByteArray::fromStdString(key);
            m_redis.command({"SET", redisKey, message, "PX", QByteArray::number(qlonglong(left.count()))},
                            [](const shared::RedisReply &) {});
            m_redis.command({"PUBLISH", m_channel, message}, [](const shared::RedisReply &) {});
        }
    }
}

void CacheShare::received(const QByteArray &message)
{
    const qsizetype a = message.indexOf('\n');
    const qsizetype b = a < 0 ? -1 : message.indexOf('\n', a + 1);
    const qsizetype c = b < 0 ? -1 : message.indexOf('\n', b + 1);
    if (c < 0 || c - b - 1 > qsizetype(kMaxKeyBytes)) {
        m_refuse(QString::fromUtf8(m_channel), message.left(200), "not INSTANCE, SERVICE, KEY and an entry on lines");
        return;
    }
    if (message.left(a) == m_instance)
        return; // this instance's own
    const QByteArray name = message.mid(a + 1, b - a - 1);
    proxy::ServiceRuntime *s = service(name);
    if (!s)
        return; // a service of another configuration, or without a cache here
    const auto entry = proxy::decodeCachedResponse(message.mid(c + 1));
    if (!entry) {
        m_refuse(QString::fromUtf8(m_channel + ' ' + name), message.left(200), "the entry does not decode");
        return;
    }
    const TimePoint now = m_clock.now();
    // Refused when not newer than what this cache holds, or beyond its limits: nothing to say.
    s->cache.putShared(message.mid(b + 1, c - b - 1).toStdString(), entry->response,
                       proxy::cacheEntryAge(entry->storedAtWallMs, m_clock.wallMs(now)), now);
}

void CacheShare::readAll(std::function<void(bool ok)> done) { scan("0", 0, std::move(done)); }

void CacheShare::scan(const QByteArray &cursor, std::size_t seen, std::function<void(bool ok)> done)
{
    m_redis.command({"SCAN", cursor, "MATCH", m_prefix + '*', "COUNT", "500"},
                    [this, alive = m_alive, seen, done](const shared::RedisReply &reply) {
                        if (!*alive)
                            return;
                        if (reply.isError() || reply.elements.size() != 2) {
                            done(false);
                            return;
                        }
                        QByteArrayList get{"MGET"};
                        for (const auto &key : reply.elements[1].elements)
                            get << key.text;
                        const QByteArray next = reply.elements[0].text;
                        const std::size_t total = seen + std::size_t(get.size() - 1);
                        const bool last = next == "0" || total >= kMaxReadEntries;
                        if (get.size() > 1)
                            m_redis.command(get, [this, alive, done, last](const shared::RedisReply &values) {
                                if (!*alive)
                                    return;
                                for (const auto &v : values.elements)
                                    if (v.type == shared::RedisReply::Type::String)
                                        received(v.text);
                                if (last)
                                    done(!values.isError());
                            });
                        else if (last)
                            done(true);
                        if (!last)
                            scan(next, total, done);
                    });
}

} // namespace bb::cluster
