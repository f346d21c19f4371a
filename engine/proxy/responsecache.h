// The last successful response for each method + path of a service, for the
// cache fallback: bounded in entries and bytes, each entry with a TTL.
#pragma once

#include "core/clock.h"

#include <QByteArray>

#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bb::proxy {

struct CachedResponse {
    int status = 200;
    std::string reason;
    std::vector<std::pair<std::string, std::string>> fields;
    QByteArray body;
    TimePoint storedAt;
};

class ResponseCache {
public:
    ResponseCache(Duration ttl, std::size_t maxEntries, std::uint64_t maxBytes);

    void put(const std::string &key, CachedResponse response);
    std::optional<CachedResponse> get(const std::string &key, TimePoint now);
    // Largest body worth keeping: a quarter of the byte budget.
    std::uint64_t maxBodyBytes() const { return m_maxBytes / 4; }

private:
    struct Entry {
        std::string key;
        CachedResponse response;
    };
    void evictWhileOver();

    const Duration m_ttl;
    const std::size_t m_maxEntries;
    const std::uint64_t m_maxBytes;
    std::mutex m_mutex; // taken by proxy workers only
    std::list<Entry> m_lru;     // most recent first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
    std::uint64_t m_bytes = 0;
};

} // namespace bb::proxy
