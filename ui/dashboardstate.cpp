#include "dashboardstate.h"

#include <algorithm>
#include <chrono>

namespace bb::ui {

namespace {
using proxy::RequestOutcome;

std::int64_t wholeSeconds(Duration d)
{
    return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

std::uint64_t delta(std::uint64_t now, std::uint64_t before)
{
    return now >= before ? now - before : 0;
}
} // namespace

QString stateLabel(BreakerState s)
{
    return QString::fromLatin1(nameOf(s).data(), qsizetype(nameOf(s).size())).replace(QLatin1Char('_'), QLatin1Char(' '));
}

int DashboardState::rowOf(const std::string &name) const
{
    const auto it = m_index.find(name);
    return it == m_index.end() ? -1 : it->second;
}

void DashboardState::rebuild(const control::Observation &observation)
{
    m_rows.clear();
    m_tracks.clear();
    m_index.clear();
    const std::size_t n = observation.engine->breakers.size();
    for (std::size_t i = 0; i < n; ++i)
        m_index[observation.engine->breakers[i].name] = int(i);
    m_rows.assign(n, {});
    m_tracks.assign(n, {});
    m_trafficIndex.assign(n, -1);
    for (std::size_t i = 0; i < observation.traffic.size(); ++i)
        if (const int row = rowOf(observation.traffic[i].name); row >= 0)
            m_trafficIndex[std::size_t(row)] = int(i);
    m_trafficSize = observation.traffic.size();
    m_replaced = true;
}

std::vector<int> DashboardState::update(const control::Observation &observation)
{
    m_replaced = false;
    const EngineSnapshot &snap = *observation.engine;
    // The same services as last time (the engine and the route table keep
    // their order for a run): the rows and the traffic index still hold.
    bool same = snap.breakers.size() == m_rows.size() && observation.traffic.size() == m_trafficSize;
    for (std::size_t i = 0; same && i < snap.breakers.size(); ++i)
        same = snap.breakers[i].name == m_rows[i].name;
    if (!same)
        rebuild(observation);
    m_snapshot = observation.engine;

    std::vector<int> changed;
    for (std::size_t i = 0; i < snap.breakers.size(); ++i) {
        const BreakerSnapshot &b = snap.breakers[i];
        Track &track = m_tracks[i];
        const control::ServiceTraffic *traffic =
            m_trafficIndex[i] >= 0 ? &observation.traffic[std::size_t(m_trafficIndex[i])] : nullptr;
        if (!track.started) {
            track.started = true;
            track.totals = b.totals;
            track.atMs = snap.wallMs;
            if (traffic) {
                track.outcomes = traffic->outcomes;
                track.durations.push_back(traffic->durations);
            }
        } else if (snap.wallMs - track.atMs >= 1000) {
            addPoint(track, b, traffic, snap.wallMs);
        }
        ServiceRow row = makeRow(b, track);
        if (!(row == m_rows[i]) || m_replaced) {
            m_rows[i] = std::move(row);
            changed.push_back(int(i));
        }
    }
    return changed;
}

void DashboardState::addPoint(Track &track, const BreakerSnapshot &b, const control::ServiceTraffic *traffic,
                              std::int64_t nowMs)
{
    const double seconds = double(nowMs - track.atMs) / 1000.0;
    const auto perS = [seconds](std::uint64_t n) { return float(double(n) / seconds); };
    ServicePoint p;
    p.wallMs = nowMs;
    p.state = b.state;
    p.failureRate = float(b.failureRate);
    p.slowRate = float(b.slowCallRate);
    const std::uint64_t ok = delta(b.totals.successes, track.totals.successes);
    const std::uint64_t failed = delta(b.totals.failures, track.totals.failures);
    p.calls = {ok + failed, failed, delta(b.totals.slow, track.totals.slow)};
    if (traffic) {
        const auto d = [&](RequestOutcome o) {
            return delta(traffic->outcome(o), track.outcomes[std::size_t(o)]);
        };
        p.okPerS = perS(d(RequestOutcome::Success) + d(RequestOutcome::Ignored));
        p.failedPerS = perS(d(RequestOutcome::Failure) + d(RequestOutcome::Timeout));
        p.rejectedPerS = perS(d(RequestOutcome::RejectedBreaker) + d(RequestOutcome::RejectedGroup) +
                              d(RequestOutcome::RejectedBulkhead));
        p.fallbackPerS = perS(d(RequestOutcome::Fallback));
        track.outcomes = traffic->outcomes;
        track.durations.push_back(traffic->durations);
        while (track.durations.size() > std::size_t(kLatencySeconds) + 1)
            track.durations.pop_front();
        Buckets recent{};
        for (std::size_t i = 0; i < recent.size(); ++i)
            recent[i] = delta(track.durations.back()[i], track.durations.front()[i]);
        p.p50Ms = float(control::durationQuantile(recent, 0.5));
        p.p99Ms = float(control::durationQuantile(recent, 0.99));
    } else {
        p.okPerS = perS(ok);
        p.failedPerS = perS(failed);
        p.rejectedPerS = perS(delta(b.totals.rejectedTotal(), track.totals.rejectedTotal()));
    }
    track.totals = b.totals;
    track.atMs = nowMs;
    track.points.push_back(p);
    while (track.points.size() > kSeconds)
        track.points.pop_front();
}

ServiceRow DashboardState::makeRow(const BreakerSnapshot &b, const Track &track) const
{
    ServiceRow row;
    row.name = b.name;
    row.group = b.groups.empty() ? std::string() : b.groups.front();
    row.state = b.state;
    row.failureRate = b.failureRate;
    row.failureThreshold = b.policy.failureRateThreshold;
    row.slowRate = b.slowCallRate;
    row.slowThreshold = b.policy.slowCallRateThreshold;
    if (!track.points.empty()) {
        const ServicePoint &p = track.points.back();
        row.requestsPerS = double(p.okPerS + p.failedPerS + p.rejectedPerS + p.fallbackPerS);
        row.rejectedPerS = double(p.rejectedPerS + p.fallbackPerS);
        row.p50Ms = double(p.p50Ms);
        row.p99Ms = double(p.p99Ms);
    }
    row.fallbacks = track.outcomes[std::size_t(RequestOutcome::Fallback)];
    row.timeInStateS = wholeSeconds(b.timeInState);
    if (b.nextTrialIn)
        row.nextTrialInS = (b.nextTrialIn->count() + 999'999'999) / 1'000'000'000; // whole seconds, rounded up
    row.permitsUsed = b.halfOpenPermitsUsed;
    row.permitsLeft = b.halfOpenPermitsLeft;
    return row;
}

double DashboardState::totalRequestsPerS() const
{
    double sum = 0;
    for (const ServiceRow &r : m_rows)
        sum += r.requestsPerS;
    return sum;
}

int DashboardState::breakersOpen() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const ServiceRow &r) {
        return r.state == BreakerState::Open || r.state == BreakerState::HalfOpen || r.state == BreakerState::ForcedOpen;
    }));
}

std::vector<SecondOfCalls> DashboardState::recordedSeconds(int row) const
{
    std::vector<SecondOfCalls> out;
    for (const ServicePoint &p : history(row))
        out.push_back(p.calls);
    return out;
}

} // namespace bb::ui
