#include "apijson.h"

#include <QJsonArray>
#include <QSysInfo>

namespace bb::control {

namespace {
QString str(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
double seconds(Duration d) { return double(toMs(d)) / 1000.0; }

QJsonValue optionalSeconds(const std::optional<Duration> &d)
{
    return d ? QJsonValue(seconds(*d)) : QJsonValue(QJsonValue::Null);
}

// The moments of a snapshot: "time_in_state_s" and "..._in_s" relative to it,
// or "since_ms" and "..._at_ms" as wall-clock instants.
QJsonValue optionalMs(const std::optional<std::int64_t> &ms)
{
    return ms ? QJsonValue(double(*ms)) : QJsonValue(QJsonValue::Null);
}

template <typename Snapshot> void insertTimes(QJsonObject &o, const Snapshot &s, Times times)
{
    if (times == Times::Relative) {
        o.insert("time_in_state_s", seconds(s.timeInState));
        o.insert("next_trial_in_s", optionalSeconds(s.nextTrialIn));
        o.insert("expires_in_s", optionalSeconds(s.expiresIn));
    } else {
        o.insert("since_ms", double(s.wall.sinceMs));
        o.insert("next_trial_at_ms", optionalMs(s.wall.nextTrialMs));
        o.insert("expires_at_ms", optionalMs(s.wall.expiresMs));
    }
}

QJsonObject causeJson(const Cause &cause)
{
    QJsonObject o{{"text", str(cause.toString())}};
    if (!cause.actor.empty())
        o.insert("actor", str(cause.actor));
    if (!cause.reason.empty())
        o.insert("reason", str(cause.reason));
    return o;
}

QJsonObject windowJson(const WindowTotals &w)
{
    return {{"calls", double(w.calls)}, {"failures", double(w.failures)}, {"slow", double(w.slow)}};
}

// A transition's window: its totals, and what it held, oldest first.
QJsonObject windowJson(const WindowContents &w)
{
    QJsonObject o = windowJson(w.totals);
    o.insert("type", w.type == WindowType::Count ? "count" : "time");
    o.insert("size", double(w.size));
    if (w.type == WindowType::Time) {
        QJsonArray buckets; // [second, calls, failures, slow]
        for (const WindowBucket &b : w.buckets)
            buckets.append(QJsonArray{double(b.second), double(b.calls), double(b.failures), double(b.slow)});
        o.insert("buckets", buckets);
    } else {
        QString calls; // one letter a call: ok, Failed, Slow, Both
        for (const WindowCall &c : w.calls)
            calls += c.failed ? (c.slow ? 'B' : 'F') : (c.slow ? 'S' : '.');
        o.insert("recent_calls", calls);
    }
    return o;
}

QJsonArray names(const std::vector<std::string> &list)
{
    QJsonArray a;
    for (const auto &n : list)
        a.append(str(n));
    return a;
}
} // namespace

QJsonObject instanceJson()
{
    return {{"product", QLatin1String(kProductName)},
            {"api", kApiVersion},
            {"version", QStringLiteral(BREAKERBOARD_VERSION)},
            {"host", QSysInfo::machineHostName()}};
}

QJsonObject policyJson(const BreakerPolicy &p)
{
    QJsonObject slowCall{{"duration", double(toMs(p.slowCallDuration))}};
    if (p.slowCallRateThreshold)
        slowCall.insert("rate_threshold", *p.slowCallRateThreshold / 100.0);
    QJsonObject backoff{{"multiplier", p.backoffMultiplier}, {"jitter", p.jitter}};
    if (p.maxWait)
        backoff.insert("max_wait", double(toMs(*p.maxWait)));
    return {{"failure_threshold", p.failureRateThreshold / 100.0},
            {"recovery_timeout", double(toMs(p.waitDuration))},
            {"volume_threshold", double(p.minimumCalls)},
            {"window", QJsonObject{{"type", p.windowType == WindowType::Count ? "count" : "time"},
                                   {"size", double(p.windowSize)}}},
            {"slow_call", slowCall},
            {"half_open", QJsonObject{{"permitted_calls", double(p.halfOpenPermittedCalls)},
                                      {"success_threshold", double(p.halfOpenSuccessThreshold)}}},
            {"consecutive_failures", double(p.consecutiveFailures)},
            {"backoff", backoff},
            {"enforcement", p.enforcement}};
}

QJsonObject breakerJson(const BreakerSnapshot &b, Times times)
{
    const BreakerTotals &t = b.totals;
    QJsonObject rejected;
    for (int r = 1; r < kBreakerRejectReasonCount; ++r)
        rejected.insert(str(nameOf(RejectReason(r))), double(t.rejected[std::size_t(r)]));
    QJsonObject wouldReject;
    for (int r = 1; r < kBreakerRejectReasonCount; ++r)
        wouldReject.insert(str(nameOf(RejectReason(r))), double(t.wouldReject[std::size_t(r)]));
    QJsonObject o{{"name", str(b.name)},
            {"state", str(nameOf(b.state))},
            {"generation", double(b.generation)},
            {"cause", causeJson(b.lastCause)},
            {"failure_rate", b.failureRate},
            {"slow_call_rate", b.slowCallRate},
            {"window", windowJson(b.window)},
            {"totals", QJsonObject{{"successes", double(t.successes)},
                                   {"failures", double(t.failures)},
                                   {"timeouts", double(t.timeouts)},
                                   {"slow", double(t.slow)},
                                   {"ignored", double(t.ignored)},
                                   {"stale", double(t.stale)},
                                   {"rejected", double(t.rejectedTotal())},
                                   {"rejected_by_reason", rejected},
                                   {"would_reject", double(t.wouldRejectTotal())},
                                   {"would_reject_by_reason", wouldReject}}},
            {"enforcement", b.policy.enforcement},
            {"half_open", QJsonObject{{"permits_used", double(b.halfOpenPermitsUsed)},
                                      {"permits_left", double(b.halfOpenPermitsLeft)},
                                      {"successes", double(b.halfOpenSuccesses)}}},
            {"consecutive_failures", double(b.consecutiveFailures)},
            {"opens_since_closed", double(b.opensSinceClosed)},
            {"groups", names(b.groups)},
            {"policy", policyJson(b.policy)}};
    insertTimes(o, b, times);
    return o;
}

QJsonObject groupJson(const GroupSnapshot &g, Times times)
{
    QJsonObject o{{"name", str(g.name)},
            {"state", str(nameOf(g.state))},
            {"generation", double(g.generation)},
            {"members", names(g.members)},
            {"members_open", double(g.membersOpen)},
            {"group_threshold", g.threshold / 100.0},
            {"cause", causeJson(g.lastCause)}};
    insertTimes(o, g, times);
    return o;
}

QJsonObject transitionJson(const TransitionEvent &e)
{
    QJsonObject o{{"sequence", double(e.sequence)},
                  {e.isGroup ? "group" : "breaker", str(e.subject)},
                  {"from", str(nameOf(e.from))},
                  {"to", str(nameOf(e.to))},
                  {"time_ms", double(e.wallMs)},
                  {"generation", double(e.generation)},
                  {"cause", causeJson(e.cause)}};
    if (!e.isGroup) {
        o.insert("window", windowJson(e.window));
        o.insert("enforcement", e.enforcement);
    }
    return o;
}

QJsonObject trafficJson(const ServiceTraffic &t)
{
    QJsonObject outcomes;
    for (std::size_t i = 0; i < t.outcomes.size(); ++i)
        outcomes.insert(str(proxy::nameOf(proxy::RequestOutcome(i))), double(t.outcomes[i]));
    QJsonObject fallbacks;
    for (std::size_t i = 1; i < t.fallbacks.size(); ++i)
        fallbacks.insert(str(nameOf(FallbackStrategy(i))), double(t.fallbacks[i]));
    QJsonArray durations;
    for (const auto n : t.durations)
        durations.append(double(n));
    QJsonObject o{{"name", str(t.name)}, {"outcomes", outcomes}, {"fallbacks", fallbacks}, {"durations", durations}};
    if (t.lastFailure.wallMs > 0)
        o.insert("last_failure", QJsonObject{{"text", str(t.lastFailure.text)}, {"time_ms", double(t.lastFailure.wallMs)}});
    return o;
}

QJsonArray durationBoundsJson()
{
    QJsonArray a;
    for (const double b : proxy::kDurationBucketsMs)
        a.append(b);
    return a;
}

bool sameDurationBounds(const QJsonValue &bounds) { return bounds == durationBoundsJson(); }

} // namespace bb::control
