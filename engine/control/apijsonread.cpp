// The readers of apijson.h: what an instance's admin API wrote, back into
// values. Network input: every field is checked, nothing is assumed.
#include "apijson.h"

#include "config/configloader.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace bb::control {

namespace {
constexpr double kMaxExact = 9007199254740992.0; // 2^53: beyond, a JSON number is no longer a whole count

// Reads fields of one object; the first missing or mistyped one makes it not ok.
class Fields {
public:
    explicit Fields(const QJsonObject &o) : m_o(o) {}
    bool ok() const { return m_ok; }
    bool fail() { return m_ok = false; }

    double number(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return fail(), 0.0;
        return v.toDouble();
    }
    std::uint64_t count(const char *key) { return whole(number(key)); }
    std::int64_t instant(const char *key) { return std::int64_t(whole(number(key))); }
    std::uint64_t whole(double d)
    {
        if (!(d >= 0 && d <= kMaxExact && d == std::floor(d)))
            return fail(), 0;
        return std::uint64_t(d);
    }
    std::string text(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (!v.isString())
            return fail(), std::string();
        return v.toString().toStdString();
    }
    QJsonObject object(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (!v.isObject())
            fail();
        return v.toObject();
    }
    QJsonArray array(const char *key)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (!v.isArray())
            fail();
        return v.toArray();
    }
    std::vector<std::string> names(const char *key)
    {
        std::vector<std::string> out;
        for (const QJsonValue &v : array(key)) {
            if (!v.isString())
                return fail(), std::vector<std::string>();
            out.push_back(v.toString().toStdString());
        }
        return out;
    }
    BreakerState state(const char *key)
    {
        const auto s = parseBreakerState(text(key));
        if (!s)
            fail();
        return s.value_or(BreakerState::Closed);
    }
    Cause cause(const char *key)
    {
        Fields c(object(key));
        const auto parsed = Cause::parse(c.text("text"));
        if (!parsed || !c.ok())
            fail();
        return parsed.value_or(Cause{});
    }
    // A moment ahead of the snapshot: null for none.
    std::optional<Duration> ahead(const char *key, std::int64_t wallMs, Times times)
    {
        const QString name = QLatin1String(key) + (times == Times::Relative ? "_in_s" : "_at_ms");
        const QJsonValue v = m_o.value(name);
        if (v.isNull())
            return std::nullopt;
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return fail(), std::nullopt;
        const double ms = times == Times::Relative ? v.toDouble() * 1000.0 : v.toDouble() - double(wallMs);
        return std::chrono::milliseconds(std::max<std::int64_t>(0, std::llround(std::clamp(ms, -kMaxExact, kMaxExact))));
    }
    Duration inState(std::int64_t wallMs, Times times)
    {
        const double ms = times == Times::Relative ? number("time_in_state_s") * 1000.0
                                                   : double(wallMs) - double(instant("since_ms"));
        return std::chrono::milliseconds(std::max<std::int64_t>(0, std::llround(std::clamp(ms, -kMaxExact, kMaxExact))));
    }
    // The moments as instants: read (Times::Absolute) or worked out from the durations.
    WallMoments wall(std::int64_t wallMs, Times times, Duration inState, const std::optional<Duration> &nextTrial,
                     const std::optional<Duration> &expires)
    {
        const auto at = [wallMs](const std::optional<Duration> &d) {
            return d ? std::optional(wallMs + toMs(*d)) : std::nullopt;
        };
        if (times == Times::Relative)
            return {wallMs - toMs(inState), at(nextTrial), at(expires)};
        const auto instantOrNull = [this](const char *key) -> std::optional<std::int64_t> {
            if (m_o.value(QLatin1String(key)).isNull())
                return std::nullopt;
            return instant(key);
        };
        return {instant("since_ms"), instantOrNull("next_trial_at_ms"), instantOrNull("expires_at_ms")};
    }
    WindowTotals window(const QJsonObject &o)
    {
        Fields w(o);
        const WindowTotals t{w.count("calls"), w.count("failures"), w.count("slow")};
        if (!w.ok())
            fail();
        return t;
    }

private:
    const QJsonObject &m_o;
    bool m_ok = true;
};

std::optional<WindowContents> contentsFromJson(const QJsonObject &o)
{
    Fields f(o);
    WindowContents w;
    w.totals = f.window(o);
    const std::string type = f.text("type");
    w.size = std::uint32_t(std::min<std::uint64_t>(f.count("size"), kMaxCountWindow));
    if (type == "time") {
        w.type = WindowType::Time;
        for (const QJsonValue &v : f.array("buckets")) {
            const QJsonArray b = v.toArray();
            if (b.size() != 4)
                return std::nullopt;
            std::uint64_t n[4];
            for (int i = 0; i < 4; ++i)
                n[i] = f.whole(b[i].toDouble(-1));
            w.buckets.push_back({std::int64_t(n[0]), n[1], n[2], n[3]});
        }
    } else if (type == "count") {
        w.type = WindowType::Count;
        for (const QChar c : f.text("recent_calls")) {
            if (!QStringView(u".FSB").contains(c))
                return std::nullopt;
            w.calls.push_back({c == 'F' || c == 'B', c == 'S' || c == 'B'});
        }
    } else {
        return std::nullopt;
    }
    return f.ok() ? std::optional(w) : std::nullopt;
}
} // namespace

std::optional<BreakerPolicy> policyFromJson(const QJsonObject &o)
{
    // The same keys as the configuration, read by the configuration's reader.
    const auto read = applyPolicyEdit(ServiceConfig{}, QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString());
    if (!read.service)
        return std::nullopt;
    return read.service->policy;
}

std::optional<BreakerSnapshot> breakerFromJson(const QJsonObject &o, std::int64_t wallMs, Times times)
{
    Fields f(o);
    BreakerSnapshot b;
    b.name = f.text("name");
    b.state = f.state("state");
    b.generation = f.count("generation");
    b.timeInState = f.inState(wallMs, times);
    b.nextTrialIn = f.ahead("next_trial", wallMs, times);
    b.expiresIn = f.ahead("expires", wallMs, times);
    b.wall = f.wall(wallMs, times, b.timeInState, b.nextTrialIn, b.expiresIn);
    b.lastCause = f.cause("cause");
    b.failureRate = f.number("failure_rate");
    b.slowCallRate = f.number("slow_call_rate");
    b.window = f.window(f.object("window"));
    Fields t(f.object("totals"));
    b.totals.successes = t.count("successes");
    b.totals.failures = t.count("failures");
    b.totals.timeouts = t.count("timeouts");
    b.totals.slow = t.count("slow");
    b.totals.ignored = t.count("ignored");
    b.totals.stale = t.count("stale");
    Fields rejected(t.object("rejected_by_reason"));
    for (int r = 1; r < kBreakerRejectReasonCount; ++r)
        b.totals.rejected[std::size_t(r)] = rejected.count(nameOf(RejectReason(r)).data());
    Fields wouldReject(t.object("would_reject_by_reason"));
    for (int r = 1; r < kBreakerRejectReasonCount; ++r)
        b.totals.wouldReject[std::size_t(r)] = wouldReject.count(nameOf(RejectReason(r)).data());
    Fields h(f.object("half_open"));
    b.halfOpenPermitsUsed = std::uint32_t(std::min<std::uint64_t>(h.count("permits_used"), kMaxHalfOpenPermits));
    b.halfOpenPermitsLeft = std::uint32_t(std::min<std::uint64_t>(h.count("permits_left"), kMaxHalfOpenPermits));
    b.halfOpenSuccesses = std::uint32_t(std::min<std::uint64_t>(h.count("successes"), kMaxHalfOpenPermits));
    b.consecutiveFailures = f.count("consecutive_failures");
    b.opensSinceClosed = std::uint32_t(std::min<std::uint64_t>(f.count("opens_since_closed"), UINT32_MAX));
    b.groups = f.names("groups");
    const auto policy = policyFromJson(f.object("policy"));
    if (!policy || !f.ok() || !t.ok() || !rejected.ok() || !wouldReject.ok() || !h.ok() || b.name.empty())
        return std::nullopt;
    b.policy = *policy;
    return b;
}

std::optional<GroupSnapshot> groupFromJson(const QJsonObject &o, std::int64_t wallMs, Times times)
{
    Fields f(o);
    GroupSnapshot g;
    g.name = f.text("name");
    g.state = f.state("state");
    g.generation = f.count("generation");
    g.timeInState = f.inState(wallMs, times);
    g.expiresIn = f.ahead("expires", wallMs, times);
    g.nextTrialIn = f.ahead("next_trial", wallMs, times);
    g.wall = f.wall(wallMs, times, g.timeInState, g.nextTrialIn, g.expiresIn);
    g.members = f.names("members");
    g.membersOpen = std::uint32_t(std::min<std::uint64_t>(f.count("members_open"), UINT32_MAX));
    g.threshold = f.number("group_threshold") * 100.0;
    g.lastCause = f.cause("cause");
    if (!f.ok() || g.name.empty())
        return std::nullopt;
    return g;
}

std::optional<TransitionEvent> transitionFromJson(const QJsonObject &o)
{
    Fields f(o);
    TransitionEvent e;
    e.isGroup = o.contains(QLatin1String("group"));
    e.subject = f.text(e.isGroup ? "group" : "breaker");
    e.sequence = f.count("sequence");
    e.from = f.state("from");
    e.to = f.state("to");
    e.wallMs = f.instant("time_ms");
    e.generation = f.count("generation");
    e.cause = f.cause("cause");
    if (!e.isGroup) {
        const auto window = contentsFromJson(f.object("window"));
        if (!window)
            return std::nullopt;
        e.window = *window;
        e.enforcement = f.number("enforcement");
        if (!(e.enforcement >= 0.0 && e.enforcement <= 100.0))
            return std::nullopt;
    }
    if (!f.ok() || e.subject.empty())
        return std::nullopt;
    return e;
}

std::optional<ServiceTraffic> trafficFromJson(const QJsonObject &o)
{
    Fields f(o);
    ServiceTraffic t;
    t.name = f.text("name");
    Fields outcomes(f.object("outcomes"));
    for (std::size_t i = 0; i < t.outcomes.size(); ++i)
        t.outcomes[i] = outcomes.count(proxy::nameOf(proxy::RequestOutcome(i)).data());
    Fields fallbacks(f.object("fallbacks"));
    for (std::size_t i = 1; i < t.fallbacks.size(); ++i)
        t.fallbacks[i] = fallbacks.count(nameOf(FallbackStrategy(i)).data());
    const QJsonArray durations = f.array("durations");
    if (durations.size() != qsizetype(t.durations.size()))
        return std::nullopt;
    for (std::size_t i = 0; i < t.durations.size(); ++i)
        t.durations[i] = f.whole(durations[qsizetype(i)].toDouble(-1));
    if (o.contains("last_failure")) {
        Fields last(f.object("last_failure"));
        t.lastFailure = {last.text("text"), std::int64_t(last.count("time_ms"))};
        if (!last.ok() || t.lastFailure.wallMs == 0)
            return std::nullopt;
    }
    if (!f.ok() || !outcomes.ok() || !fallbacks.ok() || t.name.empty())
        return std::nullopt;
    return t;
}

} // namespace bb::control
