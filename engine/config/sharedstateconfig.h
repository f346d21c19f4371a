// Shared state between instances through Redis (DESIGN.md, "Shared state
// through Redis"): the `shared_state:` block of the configuration and the
// --redis and --instance flags over it. Plain values: the Redis client
// reads them; the configuration library never connects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bb {

// local: each instance's breakers decide alone (states are only published);
// follow: a breaker opened elsewhere opens here too (after `quorum` instances
// opened on their own, when set).
enum class SharedBreakers : std::uint8_t { Local, Follow };
std::string_view nameOf(SharedBreakers b);

// Where the Redis server is, as read from redis://[:password@]HOST:PORT[/DB].
struct RedisEndpoint {
    std::string host;
    std::uint16_t port = 0;
    int db = 0;
    bool hasPassword = false;
    // "HOST:PORT/DB", never the password: for logs and summaries.
    std::string display() const;
    bool operator==(const RedisEndpoint &) const = default;
};

struct SharedStateConfig {
    std::string redisUrl; // as written; it may hold a password
    RedisEndpoint redis;
    std::string passwordFile; // against the configuration file's directory; empty: none
    std::string cluster = "breakerboard"; // the prefix of every key
    SharedBreakers breakers = SharedBreakers::Local;
    std::optional<std::uint32_t> quorum; // only with follow
    bool operator==(const SharedStateConfig &) const = default;
};

inline constexpr std::uint32_t kMaxQuorum = 1000;

// The Redis URL checked with the Redis client's own rules; nullopt with
// *error (which never echoes a password) when it is not one.
std::optional<RedisEndpoint> parseRedisEndpoint(const std::string &url, std::string *error);
// 1 to 64 letters, digits, '-', '_' or '.': it starts every key.
bool isClusterName(std::string_view name);
// 1 to 64 letters, digits, '.', '_', ':' or '-'.
bool isInstanceName(std::string_view name);

} // namespace bb
