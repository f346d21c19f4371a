// The configuration model: services with their breaker policy, upstream,
// routes and call handling (timeout, bulkhead, retry, fallback), and groups.
#pragma once

#include "clientlimits.h"
#include "sharedstateconfig.h"

#include "core/breakerpolicy.h"
#include "core/engine.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bb {

struct UpstreamUrl {
    bool tls = false; // https://
    std::string host;
    std::uint16_t port = 80;
    std::string basePath; // "", "/" or "/base[/]" as written: replaces the matched route prefix
    std::string text;     // as written
    std::uint16_t defaultPort() const { return tls ? 443 : 80; }
    std::string authority() const { return host + ':' + std::to_string(port); }
    bool operator==(const UpstreamUrl &) const = default;
};

enum class TlsMinVersion : std::uint8_t { Tls12, Tls13 };

// A service's `tls:` block, for an https:// upstream. Paths are absolute
// (resolved against the configuration file's directory when read).
struct UpstreamTls {
    std::string caFile;     // PEM CA certificates to verify against; empty: the system store
    std::string serverName; // sent as SNI and checked in the certificate; empty: the URL's host
    std::string clientCert; // PEM, for mutual TLS; set together with clientKey
    std::string clientKey;
    TlsMinVersion minVersion = TlsMinVersion::Tls12;
    bool verify = true; // false only when written so, with a warning
    bool operator==(const UpstreamTls &) const = default;
};

// A request belongs to a service when its path starts with pathPrefix, or
// when its Host header (without port) equals host.
struct RouteRule {
    std::string pathPrefix;
    std::string host;
    bool operator==(const RouteRule &) const = default;
};

struct StatusRange {
    int first = 0;
    int last = 0;
    bool contains(int status) const { return status >= first && status <= last; }
    bool operator==(const StatusRange &) const = default;
};

struct BulkheadConfig {
    std::uint32_t maxConcurrent = 0; // 0: no limit
    std::uint32_t maxQueue = 0;
    Duration queueTimeout = std::chrono::seconds(1);
    bool operator==(const BulkheadConfig &) const = default;
};

struct RetryConfig {
    std::uint32_t maxAttempts = 1; // 1: no retry
    Duration backoff = std::chrono::milliseconds(100);
    double multiplier = 2.0;
    Duration maxBackoff = std::chrono::seconds(2);
    double jitter = 0.2;
    bool operator==(const RetryConfig &) const = default;
};

enum class FallbackStrategy : std::uint8_t { None, Default, Cache, AlternativeService };
inline constexpr std::size_t kFallbackStrategyCount = 4;
std::string_view nameOf(FallbackStrategy s);

struct FallbackConfig {
    FallbackStrategy strategy = FallbackStrategy::None;
    bool onFailure = false; // also answer failed and timed-out calls
    // default
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // cache
    std::string cacheKey;
    Duration cacheTtl = std::chrono::seconds(300);
    std::uint32_t cacheMaxEntries = 1000;
    std::uint64_t cacheMaxBytes = 8u << 20;
    // alternative_service: a configured service, or an upstream URL
    std::string alternative;
    bool operator==(const FallbackConfig &) const = default;
};

struct ServiceConfig {
    std::string name;
    BreakerPolicy policy;
    std::optional<UpstreamUrl> upstream;
    std::optional<UpstreamTls> tls; // set by a `tls:` block; needs an https:// upstream
    std::vector<RouteRule> routes;
    Duration timeout = std::chrono::seconds(5);
    BulkheadConfig bulkhead;
    RetryConfig retry;
    FallbackConfig fallback;
    std::vector<StatusRange> failureStatuses{{500, 599}};
    std::vector<StatusRange> ignoredStatuses{{400, 499}};

    bool isFailureStatus(int status) const;
    bool operator==(const ServiceConfig &) const = default;
    bool isIgnoredStatus(int status) const;
};

struct GroupConfig {
    std::string name;
    std::vector<std::string> members;
    double thresholdPercent = 50.0;
    bool operator==(const GroupConfig &) const = default;
};

struct Configuration {
    std::vector<ServiceConfig> services;
    std::vector<GroupConfig> groups;
    ClientLimits clientLimits; // `proxy:`
    std::optional<SharedStateConfig> sharedState; // `shared_state:`; none: this instance alone

    const ServiceConfig *service(std::string_view name) const;
    ServiceConfig *service(std::string_view name);
};

// Adds a breaker for every service and a group for every group of config.
void installConfiguration(const Configuration &config, Engine &engine);

// Parses "http[s]://host[:port][/base]" (port 80 or 443 by default); nullopt
// with a message when it is not one.
std::optional<UpstreamUrl> parseUpstreamUrl(const std::string &text, std::string *error);

} // namespace bb
