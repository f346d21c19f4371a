#include "configreader.h"

#include <algorithm>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <set>

namespace bb {

namespace {
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

} // namespace

ConfigReader::ConfigReader(std::string file, std::vector<ConfigIssue> &issues) : YamlChecks(std::move(file), issues) {}

Configuration ConfigReader::read(const YAML::Node &root)
{
    Configuration config;
    if (!root.IsMap() || !hasKey(root, "circuit_breakers")) {
        error(root, "the file must have a top-level 'circuit_breakers:' mapping");
        return config;
    }
    checkKeys(root, {"circuit_breakers", "proxy", "shared_state"}, "the top level");
    if (root["proxy"].IsDefined())
        readClientLimits(root["proxy"], config.clientLimits);
    if (root["shared_state"].IsDefined())
        readSharedState(root["shared_state"], config);
    const YAML::Node cb = root["circuit_breakers"];
    if (!isMap(cb, "circuit_breakers"))
        return config;
    checkKeys(cb, {"default", "services", "hierarchical"}, "circuit_breakers");

    const YAML::Node defaults = cb["default"];
    if (defaults.IsDefined() && !isMap(defaults, "circuit_breakers.default"))
        return config;
    const YAML::Node services = cb["services"];
    if (!services.IsDefined() || services.IsNull()) {
        error(cb, "circuit_breakers.services must list at least one service");
        return config;
    }
    if (!isMap(services, "circuit_breakers.services"))
        return config;

    std::set<std::string> names;
    std::vector<YAML::Node> nodes;
    for (const auto &kv : services) {
        ServiceConfig s;
        s.name = kv.first.Scalar();
        if (!names.insert(s.name).second) {
            error(kv.first, "service '" + s.name + "' is defined twice");
            continue;
        }
        if (!isUsableName(kv.first, s.name, "service"))
            continue;
        config.services.push_back(makeService(s.name, defaults, kv.second));
        nodes.push_back(kv.second.IsNull() ? kv.first : kv.second);
    }
    if (cb["hierarchical"].IsDefined())
        readGroups(cb["hierarchical"], defaults, config, nodes);
    for (std::size_t i = 0; i < config.services.size(); ++i)
        checkService(nodes[i], config.services[i], config);
    return config;
}

// Names go into URLs of the admin API, metric labels and log lines.
bool ConfigReader::isUsableName(const YAML::Node &at, const std::string &name, const char *what)
{
    if (!name.empty() && name.find_first_of(" /\t\"") == std::string::npos)
        return true;
    error(at, std::string(what) + " name '" + name + "' must be non-empty without spaces, quotes or slashes");
    return false;
}

void ConfigReader::readClientLimits(const YAML::Node &n, ClientLimits &limits)
{
    if (!isMap(n, "proxy"))
        return;
    checkKeys(n,
              {"header_timeout", "body_idle_timeout", "body_timeout", "send_timeout", "idle_timeout",
               "max_header_bytes", "max_body_bytes", "max_connections"},
              "proxy");
    const auto duration = [&](const char *key, Duration &into) {
        if (hasKey(n, key))
            if (auto v = millis(n[key], key, 1, kDayMs))
                into = *v;
    };
    duration("header_timeout", limits.headerTimeout);
    duration("body_idle_timeout", limits.bodyIdleTimeout);
    duration("body_timeout", limits.bodyTimeout);
    duration("send_timeout", limits.sendTimeout);
    duration("idle_timeout", limits.idleTimeout);
    if (hasKey(n, "max_header_bytes"))
        if (auto v = integer(n["max_header_bytes"], "max_header_bytes", 1024, 1 << 20))
            limits.maxHeaderBytes = std::uint32_t(*v);
    if (hasKey(n, "max_body_bytes"))
        if (auto v = integer(n["max_body_bytes"], "max_body_bytes", 0, std::int64_t(1) << 40))
            limits.maxBodyBytes = std::uint64_t(*v);
    if (hasKey(n, "max_connections"))
        if (auto v = integer(n["max_connections"], "max_connections", 1, 1'000'000))
            limits.maxConnections = std::uint32_t(*v);
}

void ConfigReader::readPolicyEdit(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "a policy edit"))
        return;
    const std::size_t before = m_issues.size();
    checkKeys(n,
              {"failure_threshold", "recovery_timeout", "monitoring_period", "volume_threshold", "window",
               "slow_call", "half_open", "consecutive_failures", "backoff", "enforcement"},
              "a policy edit");
    if (m_issues.size() == before)
        applyService(n, s);
    for (const auto &e : validate(s.policy))
        error(n, e.field + " " + e.message);
}

ServiceConfig ConfigReader::makeService(const std::string &name, const YAML::Node &defaults, const YAML::Node &own)
{
    ServiceConfig s;
    s.name = name;
    if (defaults.IsDefined())
        applyService(defaults, s);
    if (own.IsDefined() && !own.IsNull() && isMap(own, "service '" + name + "'"))
        applyService(own, s);
    // Without its own slow-call duration, a call slower than the time it is
    // expected to take is slow.
    const bool slowSet = (hasKey(defaults, "slow_call") && hasKey(defaults["slow_call"], "duration")) ||
                         (hasKey(own, "slow_call") && hasKey(own["slow_call"], "duration"));
    if (!slowSet)
        s.policy.slowCallDuration = s.timeout;
    return s;
}

void ConfigReader::applyService(const YAML::Node &n, ServiceConfig &s)
{
    checkKeys(n,
              {"failure_threshold", "recovery_timeout", "monitoring_period", "expected_response_time",
               "volume_threshold", "fallback", "upstream", "route", "window", "slow_call", "half_open",
               "consecutive_failures", "timeout", "bulkhead", "retry", "backoff", "failure_statuses",
               "ignored_statuses", "tls", "enforcement"},
              "service '" + s.name + "'");
    BreakerPolicy &p = s.policy;
    if (hasKey(n, "failure_threshold"))
        if (auto v = fraction(n["failure_threshold"], "failure_threshold", false))
            p.failureRateThreshold = *v * 100.0;
    if (hasKey(n, "recovery_timeout"))
        if (auto v = millis(n["recovery_timeout"], "recovery_timeout", 1, kDayMs))
            p.waitDuration = *v;
    if (hasKey(n, "monitoring_period")) {
        if (auto v = millis(n["monitoring_period"], "monitoring_period", 1000, 3600 * 1000)) {
            p.windowType = WindowType::Time;
            p.windowSize = std::uint32_t((toMs(*v) + 999) / 1000);
            if (toMs(*v) % 1000 != 0)
                warning(n["monitoring_period"], "monitoring_period is rounded up to whole seconds: " +
                                                    std::to_string(p.windowSize) + " s");
        }
    }
    if (hasKey(n, "expected_response_time"))
        if (auto v = millis(n["expected_response_time"], "expected_response_time", 1, kDayMs))
            s.timeout = *v;
    if (hasKey(n, "timeout"))
        if (auto v = millis(n["timeout"], "timeout", 1, kDayMs))
            s.timeout = *v;
    if (hasKey(n, "volume_threshold"))
        if (auto v = integer(n["volume_threshold"], "volume_threshold", 1, kMaxCountWindow))
            p.minimumCalls = std::uint32_t(*v);
    if (hasKey(n, "consecutive_failures"))
        if (auto v = integer(n["consecutive_failures"], "consecutive_failures", 0, 1'000'000))
            p.consecutiveFailures = std::uint32_t(*v);
    if (hasKey(n, "enforcement"))
        if (auto v = number(n["enforcement"], "enforcement (percent; 0 monitors only)", 0.0, 100.0))
            p.enforcement = *v;
    if (hasKey(n, "upstream")) {
        if (auto t = text(n["upstream"], "upstream")) {
            std::string why;
            if (auto url = parseUpstreamUrl(*t, &why))
                s.upstream = *url;
            else
                error(n["upstream"], why);
        }
    }
    if (hasKey(n, "tls"))
        readUpstreamTls(n["tls"], s);
    if (hasKey(n, "route"))
        applyRoutes(n["route"], s);
    if (hasKey(n, "window"))
        applyWindow(n["window"], s);
    if (hasKey(n, "slow_call"))
        applySlowCall(n["slow_call"], s);
    if (hasKey(n, "half_open"))
        applyHalfOpen(n["half_open"], s);
    if (hasKey(n, "backoff"))
        applyBackoff(n["backoff"], s);
    if (hasKey(n, "bulkhead"))
        applyBulkhead(n["bulkhead"], s);
    if (hasKey(n, "retry"))
        applyRetry(n["retry"], s);
    if (hasKey(n, "fallback"))
        applyFallback(n["fallback"], s);
    if (hasKey(n, "failure_statuses"))
        if (auto v = statuses(n["failure_statuses"], "failure_statuses"))
            s.failureStatuses = *v;
    if (hasKey(n, "ignored_statuses"))
        if (auto v = statuses(n["ignored_statuses"], "ignored_statuses"))
            s.ignoredStatuses = *v;
}

void ConfigReader::applyRoutes(const YAML::Node &n, ServiceConfig &s)
{
    std::vector<YAML::Node> items;
    if (n.IsSequence())
        for (const auto &item : n)
            items.push_back(item);
    else
        items.push_back(n);
    s.routes.clear();
    for (const auto &item : items) {
        auto t = text(item, "route");
        if (!t)
            continue;
        if (t->empty())
            error(item, "route must be a path prefix starting with '/' or a host name, got ''");
        else if (t->front() == '/')
            s.routes.push_back({*t, ""});
        else if (t->find_first_of("/ :") != std::string::npos)
            error(item, "route must be a path prefix starting with '/' or a host name without port, got '" + *t + "'");
        else
            s.routes.push_back({"", *t});
    }
}

void ConfigReader::readGroups(const YAML::Node &n, const YAML::Node &defaults, Configuration &config,
                              std::vector<YAML::Node> &serviceNodes)
{
    if (!isMap(n, "hierarchical"))
        return;
    checkKeys(n, {"enabled", "groups"}, "hierarchical");
    if (hasKey(n, "enabled") && !boolean(n["enabled"], "hierarchical.enabled").value_or(true))
        return;
    if (!hasKey(n, "groups"))
        return;
    const YAML::Node groups = n["groups"];
    if (!isMap(groups, "hierarchical.groups"))
        return;
    std::set<std::string> groupNames;
    for (const auto &kv : groups) {
        GroupConfig g;
        g.name = kv.first.Scalar();
        if (!groupNames.insert(g.name).second) {
            error(kv.first, "group '" + g.name + "' is defined twice");
            continue;
        }
        if (!isUsableName(kv.first, g.name, "group") || !isMap(kv.second, "group '" + g.name + "'"))
            continue;
        checkKeys(kv.second, {"services", "group_threshold"}, "group '" + g.name + "'");
        const YAML::Node members = kv.second["services"];
        if (!members.IsDefined() || !members.IsSequence() || members.size() == 0) {
            error(members.IsDefined() ? members : kv.second, "group '" + g.name + "' needs a list of services");
            continue;
        }
        std::set<std::string> seen;
        for (const auto &m : members) {
            const std::string name = m.IsScalar() ? m.Scalar() : "";
            if (name.empty()) {
                error(m, "group '" + g.name + "': members must be service names");
                continue;
            }
            if (!config.service(name)) {
                // The seed's groups name services it does not configure: they
                // get the defaults, and the user hears about it.
                warning(m, "group '" + g.name + "': member '" + name +
                               "' is not under circuit_breakers.services; it gets the default settings");
                config.services.push_back(makeService(name, defaults, YAML::Node()));
                serviceNodes.push_back(m);
            }
            if (!seen.insert(name).second)
                error(m, "group '" + g.name + "': member '" + name + "' is listed twice");
            else
                g.members.push_back(name);
        }
        if (hasKey(kv.second, "group_threshold")) {
            const YAML::Node t = kv.second["group_threshold"];
            if (auto v = number(t, "group_threshold", 0.0, 1.0)) {
                if (*v >= 1.0)
                    error(t, "group_threshold must be below 1 (the group opens when more than this share is open)");
                else
                    g.thresholdPercent = *v * 100.0;
            }
        }
        config.groups.push_back(std::move(g));
    }
}

void ConfigReader::checkService(const YAML::Node &at, const ServiceConfig &s, const Configuration &config)
{
    static const std::map<std::string, std::string> keyOf = {
        {"window.size", "window.size"},      {"minimum_calls", "volume_threshold"},
        {"failure_rate_threshold", "failure_threshold"}, {"wait_duration", "recovery_timeout"}};
    for (const auto &e : validate(s.policy)) {
        const auto it = keyOf.find(e.field);
        error(at, "service '" + s.name + "': " + (it == keyOf.end() ? e.field : it->second) + " " + e.message);
    }
    const FallbackConfig &f = s.fallback;
    if (f.strategy == FallbackStrategy::AlternativeService) {
        if (f.alternative.empty())
            error(at, "service '" + s.name + "': fallback alternative_service needs a service name or an upstream URL");
        else if (f.alternative == s.name)
            error(at, "service '" + s.name + "': a service cannot be its own alternative_service");
        else if (!config.service(f.alternative) && !parseUpstreamUrl(f.alternative, nullptr))
            warning(at, "service '" + s.name + "': alternative_service '" + f.alternative +
                            "' is neither a configured service nor an http:// or https:// URL; its fallback will answer 503");
    }
    if (s.retry.maxBackoff < s.retry.backoff)
        error(at, "service '" + s.name + "': retry.max_backoff must be at least retry.backoff");
    if (!s.upstream)
        warning(at, "service '" + s.name + "' has no upstream: the proxy answers its calls with its fallback or 503");
    checkUpstreamTls(at, s);
}

} // namespace bb
