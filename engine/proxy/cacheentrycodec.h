// One cache-fallback entry as it travels between instances: a CBOR map of
// status, reason, header fields, body (byte strings, so any bytes survive)
// and the wall-clock time it was stored. The decoder takes input from other
// machines and refuses anything that is not an entry the proxy could serve.
#pragma once

#include "responsecache.h"

#include <QByteArray>

#include <cstdint>
#include <optional>

namespace bb::proxy {

// What the decoder accepts at most; an entry beyond is refused whole.
struct CacheEntryLimits {
    static constexpr qsizetype encodedBytes = 64 << 20;
    static constexpr qsizetype bodyBytes = 48 << 20;
    static constexpr qsizetype reasonBytes = 512;
    static constexpr qsizetype fields = 256;
    static constexpr qsizetype fieldBytes = 64 << 10; // names and values together
};

struct DecodedCacheEntry {
    CachedResponse response; // storedAt left unset: the engine's clock is local
    std::int64_t storedAtWallMs = 0;
};

QByteArray encodeCachedResponse(const CachedResponse &response, std::int64_t storedAtWallMs);
std::optional<DecodedCacheEntry> decodeCachedResponse(const QByteArray &encoded);

// The age to give ResponseCache::putShared for an entry stored at
// storedAtWallMs, read at nowWallMs; an entry from a clock ahead of ours is
// taken as just stored.
Duration cacheEntryAge(std::int64_t storedAtWallMs, std::int64_t nowWallMs);

} // namespace bb::proxy
