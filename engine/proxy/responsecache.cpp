#include "responsecache.h"

#include <algorithm>

namespace bb::proxy {

namespace {
std::uint64_t sizeOf(const CachedResponse &r)
{
    std::uint64_t n = std::uint64_t(r.body.size()) + r.reason.size();
    for (const auto &[k, v] : r.fields)
        n += k.size() + v.size();
    return n;
}
} // namespace

ResponseCache::ResponseCache(Duration ttl, std::size_t maxEntries, std::uint64_t maxBytes)
    : m_ttl(ttl), m_maxEntries(maxEntries), m_maxBytes(maxBytes)
{
}

void ResponseCache::put(const std::string &key, CachedResponse response)
{
    // Sharing needs no work of its own here: the entry itself is what
    // takeOutgoing sends, so a key put twice before a drain is sent once,
    // and the unsent entries are bounded by the cache's own limits.
    const bool share = m_sharing.load(std::memory_order_relaxed);
    // Every worker puts here: the lock is held for no allocation or free.
    // A key stored again takes its entry's place and the answer it replaces
    // is freed after the lock, as the new one was built before it.
    const std::uint64_t size = sizeOf(response);
    std::lock_guard lock(m_mutex);
    Position at;
    if (auto it = m_index.find(key); it != m_index.end()) {
        at = it->second;
        m_bytes = m_bytes - sizeOf(at->response) + size;
        std::swap(at->response, response);
        m_lru.splice(m_lru.begin(), m_lru, at);
        m_unsent -= at->unsent ? 1 : 0;
        at->unsent = false;
    } else {
        at = insert(key, std::move(response), m_lru.begin());
    }
    if (share) {
        at->unsent = true;
        ++m_unsent;
    }
    evictWhileOver();
}

bool ResponseCache::putShared(const std::string &key, CachedResponse response, Duration age, TimePoint now)
{
    age = std::max(age, Duration::zero());
    if (age > m_ttl || std::uint64_t(response.body.size()) > maxBodyBytes())
        return false;
    response.storedAt = now - age;
    std::lock_guard lock(m_mutex);
    if (auto it = m_index.find(key); it != m_index.end()) {
        if (it->second->response.storedAt >= response.storedAt)
            return false;
        erase(it->second);
    }
    // In order of storage time, so that the oldest is evicted first: shared
    // entries are mostly fresh, so the walk stops near the front.
    Position before = m_lru.begin();
    while (before != m_lru.end() && before->response.storedAt > response.storedAt)
        ++before;
    insert(key, std::move(response), before);
    evictWhileOver();
    return m_index.contains(key);
}

void ResponseCache::shareOutgoing(bool on)
{
    m_sharing.store(on, std::memory_order_relaxed);
    if (on)
        return;
    std::lock_guard lock(m_mutex);
    for (Entry &e : m_lru)
        e.unsent = false;
    m_unsent = 0;
    m_dropped = 0;
}

CacheOutgoing ResponseCache::takeOutgoing()
{
    CacheOutgoing out;
    std::lock_guard lock(m_mutex);
    out.entries.reserve(m_unsent);
    // Unsent entries were stored last, so they sit near the front.
    for (auto it = m_lru.begin(); it != m_lru.end() && out.entries.size() < m_unsent; ++it) {
        if (it->unsent) {
            out.entries.emplace_back(it->key, it->response);
            it->unsent = false;
        }
    }
    out.dropped = m_dropped;
    m_unsent = 0;
    m_dropped = 0;
    return out;
}

std::optional<CachedResponse> ResponseCache::get(const std::string &key, TimePoint now)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return std::nullopt;
    if (now - it->second->response.storedAt > m_ttl) {
        drop(it->second);
        return std::nullopt;
    }
    return it->second->response;
}

ResponseCache::Position ResponseCache::insert(const std::string &key, CachedResponse response, Position before)
{
    m_bytes += sizeOf(response);
    const Position at = m_lru.insert(before, {key, std::move(response)});
    m_index[key] = at;
    return at;
}

void ResponseCache::erase(Position it)
{
    m_bytes -= sizeOf(it->response);
    m_unsent -= it->unsent ? 1 : 0;
    m_index.erase(it->key);
    m_lru.erase(it);
}

void ResponseCache::drop(Position it)
{
    m_dropped += it->unsent ? 1 : 0;
    erase(it);
}

void ResponseCache::evictWhileOver()
{
    while (!m_lru.empty() && (m_lru.size() > m_maxEntries || m_bytes > m_maxBytes))
        drop(std::prev(m_lru.end()));
}

} // namespace bb::proxy
