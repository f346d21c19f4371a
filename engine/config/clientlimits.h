// What the proxy allows a client, set under `proxy:` in the configuration.
// Each limit's default is the one the README states.
#pragma once

#include "core/clock.h"

#include <cstdint>

namespace bb {

struct ClientLimits {
    std::uint32_t maxHeaderBytes = 16 * 1024;              // beyond: 431
    std::uint64_t maxBodyBytes = 64ull << 20;              // beyond: 413
    Duration headerTimeout = std::chrono::seconds(10);     // a request head must arrive within this: 408
    Duration bodyIdleTimeout = std::chrono::seconds(10);   // longest wait for the next bytes of a body: 408
    Duration bodyTimeout = std::chrono::seconds(60);       // all the waiting for one body's bytes: 408
    Duration sendTimeout = std::chrono::seconds(60);       // a client that takes none of its answer this long is cut
    Duration idleTimeout = std::chrono::seconds(60);       // keep-alive connections idle longer are closed
    std::uint32_t maxConnections = 10'000;                 // beyond: closed at once
    bool operator==(const ClientLimits &) const = default;
};

} // namespace bb
