#include "metricscollector.h"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

namespace bb::telemetry {

namespace {
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(const char *name, const char *help, MetricType type)
{
    return MetricFamily{name, help, type, {}};
}

ClientMetric::Label breakerLabel(const std::string &name) { return {"circuit_breaker", name}; }

void addValue(MetricFamily &f, std::vector<ClientMetric::Label> labels, double value)
{
    ClientMetric m;
    m.label = std::move(labels);
    if (f.type == MetricType::Counter)
        m.counter.value = value;
    else
        m.gauge.value = value;
    f.metric.push_back(std::move(m));
}

// How long a breaker or group has been in its state, and until when a forced
// state lasts (nothing when it lasts until an operator ends it).
void addAge(MetricFamily &seconds, MetricFamily &expiry, const ClientMetric::Label &label, Duration inState,
            std::optional<Duration> expiresIn)
{
    addValue(seconds, {label}, std::chrono::duration<double>(inState).count());
    if (expiresIn)
        addValue(expiry, {label}, std::chrono::duration<double>(*expiresIn).count());
}
} // namespace

double seedStateValue(BreakerState s)
{
    switch (s) {
    case BreakerState::Open:
    case BreakerState::ForcedOpen:
        return 1;
    case BreakerState::HalfOpen:
        return 2;
    default:
        return 0;
    }
}

MetricsCollector::MetricsCollector(const Engine &engine, std::shared_ptr<const proxy::RouteTable> routes)
    : m_engine(engine), m_routes(std::move(routes))
{
}

std::vector<MetricFamily> MetricsCollector::Collect() const
{
    const EngineSnapshot s = m_engine.snapshot();
    auto state = family("circuit_breaker_state", "Breaker state: 0 closed, 1 open, 2 half-open", MetricType::Gauge);
    auto detail = family("circuit_breaker_state_detail",
                         "1 for the breaker's exact state, forced and disabled states included", MetricType::Gauge);
    auto failures = family("circuit_breaker_failures_total", "Calls that failed (timeouts included)", MetricType::Counter);
    auto successes = family("circuit_breaker_successes_total", "Calls that succeeded", MetricType::Counter);
    auto rejects = family("circuit_breaker_rejects_total", "Calls the breaker or its group did not admit",
                          MetricType::Counter);
    auto timeouts = family("circuit_breaker_timeouts_total", "Calls without a complete answer in time",
                           MetricType::Counter);
    auto slow = family("circuit_breaker_slow_calls_total", "Calls slower than the slow-call duration",
                       MetricType::Counter);
    auto failureRate = family("circuit_breaker_failure_rate", "Failed share of the calls in the window (0-1)",
                              MetricType::Gauge);
    auto slowRate = family("circuit_breaker_slow_call_rate", "Slow share of the calls in the window (0-1)",
                           MetricType::Gauge);
    auto transitions = family("circuit_breaker_transitions_total", "State changes by from and to state",
                              MetricType::Counter);
    auto enforcement = family("circuit_breaker_enforcement_ratio",
                              "Share of the calls it would reject that the breaker rejects (0 monitors only, 1 enforces)",
                              MetricType::Gauge);
    auto wouldReject = family("circuit_breaker_would_rejects_total",
                              "Calls let through although the breaker would have rejected them (enforcement below 1)",
                              MetricType::Counter);
    auto stateSeconds = family("circuit_breaker_state_seconds", "Time the breaker has been in its current state",
                               MetricType::Gauge);
    auto expiry = family("circuit_breaker_forced_expiry_seconds",
                         "Time until a forced or disabled state expires; absent when it never does", MetricType::Gauge);
    for (const auto &b : s.breakers) {
        const auto label = breakerLabel(b.name);
        addValue(state, {label}, seedStateValue(b.state));
        for (int i = 0; i < kBreakerStateCount; ++i)
            addValue(detail, {label, {"state", std::string(nameOf(BreakerState(i)))}}, b.state == BreakerState(i) ? 1 : 0);
        addValue(failures, {label}, double(b.totals.failures));
        addValue(successes, {label}, double(b.totals.successes));
        addValue(rejects, {label}, double(b.totals.rejectedTotal()));
        addValue(timeouts, {label}, double(b.totals.timeouts));
        addValue(slow, {label}, double(b.totals.slow));
        addValue(failureRate, {label}, b.failureRate / 100.0);
        addValue(slowRate, {label}, b.slowCallRate / 100.0);
        addValue(enforcement, {label}, b.policy.enforcement / 100.0);
        addValue(wouldReject, {label}, double(b.totals.wouldRejectTotal()));
        addAge(stateSeconds, expiry, label, b.timeInState, b.expiresIn);
        for (int from = 0; from < kBreakerStateCount; ++from) {
            for (int to = 0; to < kBreakerStateCount; ++to) {
                if (const auto n = b.transitions[std::size_t(from)][std::size_t(to)])
                    addValue(transitions,
                             {label, {"from", std::string(nameOf(BreakerState(from)))},
                              {"to", std::string(nameOf(BreakerState(to)))}},
                             double(n));
            }
        }
    }
    auto groupState = family("circuit_breaker_group_state", "Group state: 0 closed, 1 open (forced open included)",
                             MetricType::Gauge);
    auto groupOpen = family("circuit_breaker_group_members_open", "Members of the group that are open",
                            MetricType::Gauge);
    auto groupDetail = family("circuit_breaker_group_state_detail",
                              "1 for the group's exact state: closed, open, forced_open or forced_closed",
                              MetricType::Gauge);
    auto groupSeconds = family("circuit_breaker_group_state_seconds", "Time the group has been in its current state",
                               MetricType::Gauge);
    auto groupExpiry = family("circuit_breaker_group_forced_expiry_seconds",
                              "Time until the group's forced state expires; absent when it never does",
                              MetricType::Gauge);
    for (const auto &g : s.groups) {
        const ClientMetric::Label label{"group", g.name};
        addValue(groupState, {label}, seedStateValue(g.state));
        addValue(groupOpen, {label}, g.membersOpen);
        for (auto state : {BreakerState::Closed, BreakerState::Open, BreakerState::ForcedOpen, BreakerState::ForcedClosed})
            addValue(groupDetail, {label, {"state", std::string(nameOf(state))}}, g.state == state ? 1 : 0);
        addAge(groupSeconds, groupExpiry, label, g.timeInState, g.expiresIn);
    }
    std::vector<MetricFamily> out = {state,       detail,       failures,    successes,   rejects,
                                     timeouts,    slow,         failureRate, slowRate,    transitions,
                                     enforcement, wouldReject,  stateSeconds, expiry,     groupState,
                                     groupOpen,   groupDetail,  groupSeconds, groupExpiry};
    if (m_sharedConnected) {
        auto link = family("breakerboard_shared_state_connected",
                           "1 while the link to the cluster's Redis is up; 0: this instance decides alone", MetricType::Gauge);
        addValue(link, {}, m_sharedConnected() ? 1 : 0);
        out.push_back(link);
    }
    if (!m_routes)
        return out;

    auto fallbacks = family("circuit_breaker_fallbacks_total", "Calls answered by a fallback", MetricType::Counter);
    auto byStrategy = family("circuit_breaker_fallbacks_by_strategy_total", "Fallback answers by strategy",
                             MetricType::Counter);
    auto requests = family("breakerboard_requests_total", "Proxied requests by how they ended", MetricType::Counter);
    auto duration = family("breakerboard_request_duration_seconds", "Time from request head to the end of the answer",
                           MetricType::Histogram);
    for (const auto &service : m_routes->services()) {
        const auto label = breakerLabel(service->config.name);
        const proxy::ServiceCounters &c = service->counters;
        addValue(fallbacks, {label}, double(c.outcome(proxy::RequestOutcome::Fallback)));
        for (auto strategy : {FallbackStrategy::Default, FallbackStrategy::Cache, FallbackStrategy::AlternativeService})
            addValue(byStrategy, {label, {"strategy", std::string(nameOf(strategy))}}, double(c.fallback(strategy)));
        for (int o = 0; o < proxy::kRequestOutcomeCount; ++o)
            addValue(requests, {label, {"outcome", std::string(nameOf(proxy::RequestOutcome(o)))}},
                     double(c.outcome(proxy::RequestOutcome(o))));
        ClientMetric h;
        h.label = {label};
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < c.durationBuckets.size(); ++i) {
            cumulative += c.durationBuckets[i].load(std::memory_order_relaxed);
            const double bound = i < proxy::kDurationBucketsMs.size() ? proxy::kDurationBucketsMs[i] / 1000.0
                                                                       : std::numeric_limits<double>::infinity();
            h.histogram.bucket.push_back({cumulative, bound});
        }
        h.histogram.sample_count = cumulative;
        h.histogram.sample_sum = double(c.durationSumMicros.load(std::memory_order_relaxed)) / 1e6;
        duration.metric.push_back(std::move(h));
    }
    out.push_back(fallbacks);
    out.push_back(byStrategy);
    out.push_back(requests);
    out.push_back(duration);
    return out;
}

std::string MetricsCollector::scrape() const { return prometheus::TextSerializer().Serialize(Collect()); }

} // namespace bb::telemetry
