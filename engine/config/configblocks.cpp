// The nested blocks of a service: window, slow_call, half_open, backoff,
// bulkhead, retry, fallback and status lists.
#include "configreader.h"

#include <QJsonDocument>
#include <QVariant>

#include <cstdio>

namespace bb {

namespace {
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
// A YAML value as JSON text, for fallback bodies written as YAML.
QVariant toVariant(const YAML::Node &n)
{
    if (n.IsMap()) {
        QVariantMap m;
        for (const auto &kv : n)
            m.insert(QString::fromStdString(kv.first.as<std::string>()), toVariant(kv.second));
        return m;
    }
    if (n.IsSequence()) {
        QVariantList l;
        for (const auto &item : n)
            l.push_back(toVariant(item));
        return l;
    }
    if (n.IsNull())
        return QVariant::fromValue(nullptr);
    const std::string s = n.Scalar();
    if (n.Tag() != "!") { // plain scalars may be numbers or booleans
        bool b = false;
        if (YAML::convert<bool>::decode(n, b) && (s == "true" || s == "false"))
            return b;
        double d = 0;
        if (YAML::convert<double>::decode(n, d) && !s.empty() && s.find_first_not_of("0123456789.-+eE") == std::string::npos)
            return d;
    }
    return QString::fromStdString(s);
}
} // namespace

void ConfigReader::applyWindow(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "window"))
        return;
    checkKeys(n, {"type", "size"}, "window");
    if (hasKey(n, "type")) {
        const auto t = text(n["type"], "window.type");
        if (t && *t == "count")
            s.policy.windowType = WindowType::Count;
        else if (t && *t == "time")
            s.policy.windowType = WindowType::Time;
        else if (t)
            error(n["type"], "window.type must be 'count' or 'time', got '" + *t + "'");
    }
    if (hasKey(n, "size")) {
        const bool count = s.policy.windowType == WindowType::Count;
        if (auto v = integer(n["size"], count ? "window.size (calls)" : "window.size (seconds)", 1,
                             count ? kMaxCountWindow : kMaxTimeWindowSeconds))
            s.policy.windowSize = std::uint32_t(*v);
    }
}

void ConfigReader::applySlowCall(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "slow_call"))
        return;
    checkKeys(n, {"duration", "rate_threshold"}, "slow_call");
    if (hasKey(n, "duration"))
        if (auto v = millis(n["duration"], "slow_call.duration", 1, kDayMs))
            s.policy.slowCallDuration = *v;
    if (hasKey(n, "rate_threshold"))
        if (auto v = fraction(n["rate_threshold"], "slow_call.rate_threshold", false))
            s.policy.slowCallRateThreshold = *v * 100.0;
}

void ConfigReader::applyHalfOpen(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "half_open"))
        return;
    checkKeys(n, {"permitted_calls", "success_threshold"}, "half_open");
    if (hasKey(n, "permitted_calls"))
        if (auto v = integer(n["permitted_calls"], "half_open.permitted_calls", 1, kMaxHalfOpenPermits))
            s.policy.halfOpenPermittedCalls = std::uint32_t(*v);
    if (hasKey(n, "success_threshold"))
        if (auto v = integer(n["success_threshold"], "half_open.success_threshold", 1, kMaxHalfOpenPermits))
            s.policy.halfOpenSuccessThreshold = std::uint32_t(*v);
}

void ConfigReader::applyBackoff(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "backoff"))
        return;
    checkKeys(n, {"multiplier", "max_wait", "jitter"}, "backoff");
    if (hasKey(n, "multiplier"))
        if (auto v = number(n["multiplier"], "backoff.multiplier", 1.0, 100.0))
            s.policy.backoffMultiplier = *v;
    if (hasKey(n, "max_wait"))
        if (auto v = millis(n["max_wait"], "backoff.max_wait", 1, kDayMs))
            s.policy.maxWait = *v;
    if (hasKey(n, "jitter"))
        if (auto v = number(n["jitter"], "backoff.jitter", 0.0, 0.99))
            s.policy.jitter = *v;
}

void ConfigReader::applyBulkhead(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "bulkhead"))
        return;
    checkKeys(n, {"max_concurrent", "max_queue", "queue_timeout"}, "bulkhead");
    if (hasKey(n, "max_concurrent"))
        if (auto v = integer(n["max_concurrent"], "bulkhead.max_concurrent", 1, 1'000'000))
            s.bulkhead.maxConcurrent = std::uint32_t(*v);
    if (hasKey(n, "max_queue"))
        if (auto v = integer(n["max_queue"], "bulkhead.max_queue", 0, 1'000'000))
            s.bulkhead.maxQueue = std::uint32_t(*v);
    if (hasKey(n, "queue_timeout"))
        if (auto v = millis(n["queue_timeout"], "bulkhead.queue_timeout", 1, 3'600'000))
            s.bulkhead.queueTimeout = *v;
}

void ConfigReader::applyRetry(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "retry"))
        return;
    checkKeys(n, {"max_attempts", "backoff", "multiplier", "max_backoff", "jitter"}, "retry");
    if (hasKey(n, "max_attempts"))
        if (auto v = integer(n["max_attempts"], "retry.max_attempts", 1, 10))
            s.retry.maxAttempts = std::uint32_t(*v);
    if (hasKey(n, "backoff"))
        if (auto v = millis(n["backoff"], "retry.backoff", 0, 60'000))
            s.retry.backoff = *v;
    if (hasKey(n, "multiplier"))
        if (auto v = number(n["multiplier"], "retry.multiplier", 1.0, 10.0))
            s.retry.multiplier = *v;
    if (hasKey(n, "max_backoff"))
        if (auto v = millis(n["max_backoff"], "retry.max_backoff", 0, 60'000))
            s.retry.maxBackoff = *v;
    if (hasKey(n, "jitter"))
        if (auto v = number(n["jitter"], "retry.jitter", 0.0, 1.0))
            s.retry.jitter = *v;
}

void ConfigReader::applyFallback(const YAML::Node &n, ServiceConfig &s)
{
    if (!isMap(n, "fallback"))
        return;
    checkKeys(n,
              {"enabled", "strategy", "on_failure", "status", "headers", "body", "default_response", "cache_key",
               "ttl", "max_entries", "max_bytes", "alternative_service"},
              "fallback");
    FallbackConfig &f = s.fallback;
    bool enabled = true;
    if (hasKey(n, "enabled"))
        enabled = boolean(n["enabled"], "fallback.enabled").value_or(true);
    if (hasKey(n, "strategy")) {
        if (auto strategy = oneOf<FallbackStrategy>(n["strategy"], "fallback.strategy",
                                                    {{"default", FallbackStrategy::Default},
                                                     {"cache", FallbackStrategy::Cache},
                                                     {"alternative_service", FallbackStrategy::AlternativeService}},
                                                    "default, cache or alternative_service"))
            f.strategy = *strategy;
    } else if (enabled && f.strategy == FallbackStrategy::None) {
        error(n, "fallback needs a strategy: default, cache or alternative_service");
    }
    if (!enabled)
        f.strategy = FallbackStrategy::None;
    if (hasKey(n, "on_failure"))
        f.onFailure = boolean(n["on_failure"], "fallback.on_failure").value_or(false);
    if (hasKey(n, "status"))
        if (auto v = integer(n["status"], "fallback.status", 200, 599))
            f.status = int(*v);
    if (hasKey(n, "headers")) {
        const YAML::Node h = n["headers"];
        if (isMap(h, "fallback.headers")) {
            f.headers.clear();
            for (const auto &kv : h) {
                if (auto v = text(kv.second, "fallback header '" + kv.first.Scalar() + "'"))
                    f.headers.emplace_back(kv.first.Scalar(), *v);
            }
        }
    }
    if (hasKey(n, "body"))
        if (auto v = text(n["body"], "fallback.body"))
            f.body = *v;
    if (hasKey(n, "default_response")) {
        const QJsonDocument doc = QJsonDocument::fromVariant(toVariant(n["default_response"]));
        if (!n["default_response"].IsScalar() && !doc.isNull())
            f.body = doc.toJson(QJsonDocument::Compact).toStdString();
        else
            f.body = n["default_response"].Scalar();
        bool typed = false;
        for (const auto &h : f.headers)
            typed = typed || h.first == "Content-Type";
        if (!typed && !n["default_response"].IsScalar())
            f.headers.emplace_back("Content-Type", "application/json");
    }
    if (hasKey(n, "cache_key"))
        if (auto v = text(n["cache_key"], "fallback.cache_key"))
            f.cacheKey = *v;
    if (hasKey(n, "ttl"))
        if (auto v = millis(n["ttl"], "fallback.ttl", 1, 7 * kDayMs))
            f.cacheTtl = *v;
    if (hasKey(n, "max_entries"))
        if (auto v = integer(n["max_entries"], "fallback.max_entries", 1, 1'000'000))
            f.cacheMaxEntries = std::uint32_t(*v);
    if (hasKey(n, "max_bytes"))
        if (auto v = integer(n["max_bytes"], "fallback.max_bytes", 1024, 1LL << 32))
            f.cacheMaxBytes = std::uint64_t(*v);
    if (hasKey(n, "alternative_service"))
        if (auto v = text(n["alternative_service"], "fallback.alternative_service"))
            f.alternative = *v;
}

std::optional<std::vector<StatusRange>> ConfigReader::statuses(const YAML::Node &n, const std::string &key)
{
    if (!n.IsSequence()) {
        error(n, key + " must be a list of statuses such as [500, 502, \"5xx\", \"520-530\"]");
        return std::nullopt;
    }
    std::vector<StatusRange> out;
    for (const auto &item : n) {
        const std::string t = item.IsScalar() ? item.Scalar() : "";
        int first = 0, last = 0;
        char dash = 0;
        if (t.size() == 3 && t[0] >= '1' && t[0] <= '5' && t.substr(1) == "xx") {
            first = (t[0] - '0') * 100, last = first + 99;
        } else if (std::sscanf(t.c_str(), "%d%c%d", &first, &dash, &last) == 3 && dash == '-') {
        } else if (std::sscanf(t.c_str(), "%d", &first) == 1 && std::to_string(first) == t) {
            last = first;
        } else {
            error(item, key + ": '" + t + "' is not a status, a class like 5xx or a range like 500-504");
            return std::nullopt;
        }
        if (first < 100 || last > 599 || first > last) {
            error(item, key + ": '" + t + "' is outside 100-599");
            return std::nullopt;
        }
        out.push_back({first, last});
    }
    return out;
}

} // namespace bb
