#include "responsecache.h"

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
    std::lock_guard lock(m_mutex);
    if (auto it = m_index.find(key); it != m_index.end()) {
        m_bytes -= sizeOf(it->second->response);
        m_lru.erase(it->second);
        m_index.erase(it);
    }
    m_bytes += sizeOf(response);
    m_lru.push_front({key, std::move(response)});
    m_index[key] = m_lru.begin();
    evictWhileOver();
}

void ResponseCache::evictWhileOver()
{
    while (!m_lru.empty() && (m_lru.size() > m_maxEntries || m_bytes > m_maxBytes)) {
        m_bytes -= sizeOf(m_lru.back().response);
        m_index.erase(m_lru.back().key);
        m_lru.pop_back();
    }
}

std::optional<CachedResponse> ResponseCache::get(const std::string &key, TimePoint now)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return std::nullopt;
    if (now - it->second->response.storedAt > m_ttl) {
        m_bytes -= sizeOf(it->second->response);
        m_lru.erase(it->second);
        m_index.erase(it);
        return std::nullopt;
    }
    return it->second->response;
}


} // namespace bb::proxy
