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
            {"backoff", backoff}};
}

QJsonObject breakerJson(const BreakerSnapshot &b)
{
    const BreakerTotals &t = b.totals;
    QJsonObject rejected;
    for (int r = 1; r < kBreakerRejectReasonCount; ++r)
        rejected.insert(str(nameOf(RejectReason(r))), double(t.rejected[std::size_t(r)]));
    return {{"name", str(b.name)},
            {"state", str(nameOf(b.state))},
            {"generation", double(b.generation)},
            {"time_in_state_s", seconds(b.timeInState)},
            {"next_trial_in_s", optionalSeconds(b.nextTrialIn)},
            {"expires_in_s", optionalSeconds(b.expiresIn)},
            {"cause", causeJson(b.lastCause)},
            {"failure_rate", b.failureRate},
            {"slow_call_rate", b.slowCallRate},
            {"window", windowJson(b.window)},
            {"totals", QJsonObject{{"successes", double(t.successes)},
                                   {"failures", double(t.failures)},
                                   {"timeouts", double(t.timeouts)},
                                   {"slow", double(t.slow)},
                                   {"ignored", double(t.ignored)},
                                   {"rejected", double(t.rejectedTotal())},
                                   {"rejected_by_reason", rejected}}},
            {"half_open", QJsonObject{{"permits_used", double(b.halfOpenPermitsUsed)},
                                      {"permits_left", double(b.halfOpenPermitsLeft)},
                                      {"successes", double(b.halfOpenSuccesses)}}},
            {"consecutive_failures", double(b.consecutiveFailures)},
            {"opens_since_closed", double(b.opensSinceClosed)},
            {"groups", names(b.groups)},
            {"policy", policyJson(b.policy)}};
}

QJsonObject groupJson(const GroupSnapshot &g)
{
    return {{"name", str(g.name)},
            {"state", str(nameOf(g.state))},
            {"generation", double(g.generation)},
            {"time_in_state_s", seconds(g.timeInState)},
            {"expires_in_s", optionalSeconds(g.expiresIn)},
            {"next_trial_in_s", optionalSeconds(g.nextTrialIn)},
            {"members", names(g.members)},
            {"members_open", double(g.membersOpen)},
            {"group_threshold", g.threshold / 100.0},
            {"cause", causeJson(g.lastCause)}};
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
    if (!e.isGroup)
        o.insert("window", windowJson(e.window.totals));
    return o;
}

QJsonObject snapshotJson(const EngineSnapshot &s)
{
    QJsonArray breakers;
    for (const auto &b : s.breakers)
        breakers.append(breakerJson(b));
    QJsonArray groups;
    for (const auto &g : s.groups)
        groups.append(groupJson(g));
    return {{"time_ms", double(s.wallMs)}, {"breakers", breakers}, {"groups", groups}};
}

} // namespace bb::control
