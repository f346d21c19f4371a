// The cache fallback's entries shared by a cluster: what this instance's
// proxy stored is written to Redis (coalesced, with the time it has left to
// live) and announced; what others stored arrives here and goes into the
// local cache, from which the proxy serves it without asking Redis. Every
// message is INSTANCE \n SERVICE \n KEY \n ENTRY (proxy/cacheentrycodec.h),
// the same bytes under the entry's own key, which a starting instance reads.
#pragma once

#include "core/clock.h"
#include "proxy/routetable.h"
#include "shared/redisconnection.h"

#include <functional>
#include <memory>
#include <string>

namespace bb::cluster {

class CacheShare {
public:
    using Refuse = std::function<void(const QString &where, const QByteArray &bytes, const std::string &why)>;
    CacheShare(shared::RedisConnection &redis, const QByteArray &prefix, std::shared_ptr<const proxy::RouteTable> routes,
               const Clock &clock, Refuse refuse);
    ~CacheShare();

    const QByteArray &channel() const { return m_channel; }
    void setInstance(const std::string &name) { m_instance = QByteArray::fromStdString(name); }
    // Writes what the proxy stored since the last call (when connected).
    void drain();
    // A message of the cache channel, or a value read back.
    void received(const QByteArray &message);
    // Every entry Redis holds, into the local caches (after each (re)connect);
    // done(ok) once the last of them is in, or the read failed.
    void readAll(std::function<void(bool ok)> done);


    static constexpr std::size_t kMaxKeyBytes = 8192;
    static constexpr std::size_t kMaxReadEntries = 100000;

private:
    void scan(const QByteArray &cursor, std::size_t seen, std::function<void(bool ok)> done);
    proxy::ServiceRuntime *service(const QByteArray &name) const;

    shared::RedisConnection &m_redis;
    QByteArray m_prefix;
    QByteArray m_channel;
    QByteArray m_instance;
    std::shared_ptr<const proxy::RouteTable> m_routes;
    const Clock &m_clock;
    Refuse m_refuse;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // answers after destruction do nothing
};

} // namespace bb::cluster
