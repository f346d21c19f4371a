// The last successful response for each method + path of a service, for the
// cache fallback: bounded in entries and bytes, each entry with a TTL. Entries
// can be shared between instances: local puts are gathered for sending
// (takeOutgoing), entries from other instances come in through putShared.
#pragma once

#include "core/clock.h"

#include <QByteArray>

#include <atomic>
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

// Local entries put since the last takeOutgoing, one per key (the latest),
// and how many unsent ones were evicted or expired meanwhile.
struct CacheOutgoing {
    std::vector<std::pair<std::string, CachedResponse>> entries; // most recently stored first
    std::uint64_t dropped = 0;
};

class ResponseCache {
public:
    ResponseCache(Duration ttl, std::size_t maxEntries, std::uint64_t maxBytes);

    void put(const std::string &key, CachedResponse response);
    std::optional<CachedResponse> get(const std::string &key, TimePoint now);
    // Largest body worth keeping: a quarter of the byte budget.
    std::uint64_t maxBodyBytes() const { return m_maxBytes / 4; }
    Duration ttl() const { return m_ttl; }

    // Sharing with other instances (control thread). While on, every put()
    // marks its entry unsent; takeOutgoing() returns the unsent entries and
    // marks them sent. Turning it off forgets what was unsent.
    void shareOutgoing(bool on);
    CacheOutgoing takeOutgoing();
    // An entry from another instance, stored age ago (by its wall clock; a
    // negative age counts as none). Refused, returning false, when it is past
    // the TTL, its body is beyond maxBodyBytes(), or the cache holds an entry
    // for the key stored as recently or later. Never gathered for sending.
    bool putShared(const std::string &key, CachedResponse response, Duration age, TimePoint now);

private:
    struct Entry {
        std::string key;
        CachedResponse response;
        bool unsent = false;
    };
    using Position = std::list<Entry>::iterator;
    Position insert(const std::string &key, CachedResponse response, Position before);
    void erase(Position it);
    void drop(Position it); // erase, counting it when it was never sent
    void evictWhileOver();

    const Duration m_ttl;
    const std::size_t m_maxEntries;
    const std::uint64_t m_maxBytes;
    std::atomic<bool> m_sharing{false};
    std::mutex m_mutex; // taken by proxy workers, and briefly by the control thread
    std::list<Entry> m_lru; // most recently stored first
    std::unordered_map<std::string, Position> m_index;
    std::uint64_t m_bytes = 0;
    std::size_t m_unsent = 0;    // entries marked unsent
    std::uint64_t m_dropped = 0; // unsent entries evicted since the last takeOutgoing
};

} // namespace bb::proxy
