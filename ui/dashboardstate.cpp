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

// A fleet that has no instance connected may send no snapshot at all.
const std::shared_ptr<const EngineSnapshot> &engineOf(const control::Observation &observation)
{
    static const std::shared_ptr<const EngineSnapshot> none = std::make_shared<const EngineSnapshot>();
    return observation.engine ? observation.engine : none;
}

bool sameInstances(const control::FleetView *a, const control::FleetView *b)
{
    if (!a || !b)
        return !a && !b;
    if (a->instances.size() != b->instances.size())
        return false;
    for (std::size_t i = 0; i < a->instances.size(); ++i)
        if (a->instances[i].name != b->instances[i].name)
            return false;
    return true;
}

bool sameTarget(const control::FleetTarget *a, const control::FleetTarget *b)
{
    if (!a || !b)
        return !a && !b;
    return a->states == b->states && a->reporting == b->reporting && a->open == b->open &&
           a->configDiffers == b->configDiffers;
}

const control::FleetTarget *targetOf(const control::FleetView *fleet, const std::string &name)
{
    if (!fleet)
        return nullptr;
    const auto it = fleet->breakers.find(name);
    return it == fleet->breakers.end() ? nullptr : &it->second;
}
} // namespace

QString stateLabel(BreakerState s)
{
    return QString::fromLatin1(nameOf(s).data(), qsizetype(nameOf(s).size())).replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString stateLabel(BreakerState s, double enforcement)
{
    const bool automatic = s == BreakerState::Closed || s == BreakerState::Open || s == BreakerState::HalfOpen;
    if (enforcement >= 100.0 || !automatic)
        return stateLabel(s);
    const QString label = enforcement <= 0.0 && s != BreakerState::Closed ? QStringLiteral("would be ") + stateLabel(s)
                                                                         : stateLabel(s);
    return label + QStringLiteral(" · ") + QString::fromStdString(enforcementText(enforcement));
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
    const EngineSnapshot &snap = *engineOf(observation);
    // The same services as last time (the engine and the route table keep
    // their order for a run): the rows and the traffic index still hold.
    bool same = snap.breakers.size() == m_rows.size() && observation.traffic.size() == m_trafficSize;
    for (std::size_t i = 0; same && i < snap.breakers.size(); ++i)
        same = snap.breakers[i].name == m_rows[i].name;
    if (!same)
        rebuild(observation);
    m_snapshot = engineOf(observation);
    m_shared = observation.sharedState;

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
    updateFleet(observation.fleet, changed);
    return changed;
}

void DashboardState::updateFleet(std::shared_ptr<const control::FleetView> fleet, std::vector<int> &changed)
{
    m_changedInstances.clear();
    const std::shared_ptr<const control::FleetView> previous = std::exchange(m_fleet, std::move(fleet));
    m_instancesReplaced = !sameInstances(previous.get(), m_fleet.get());
    if (m_instancesReplaced) {
        const std::size_t n = m_fleet ? m_fleet->instances.size() : 0;
        m_instances.assign(n, {});
        m_fed.assign(n, nullptr);
    }
    if (!m_fleet)
        return;
    const std::size_t known = changed.size();
    for (std::size_t row = 0; row < m_rows.size(); ++row) {
        const std::string &name = m_rows[row].name;
        if (!sameTarget(targetOf(previous.get(), name), targetOf(m_fleet.get(), name)))
            changed.push_back(int(row));
    }
    std::inplace_merge(changed.begin(), changed.begin() + std::ptrdiff_t(known), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());

    for (std::size_t i = 0; i < m_instances.size(); ++i) {
        const control::InstanceView &view = m_fleet->instances[i];
        std::vector<int> moved;
        bool all = m_replaced || m_instancesReplaced || !(previous->instances[i].link == view.link);
        if (view.observation && view.observation != m_fed[i]) {
            m_fed[i] = view.observation;
            moved = m_instances[i].update(*view.observation);
            all = all || m_instances[i].rowsReplaced();
        }
        if (all) {
            for (std::size_t row = 0; row < m_rows.size(); ++row)
                m_changedInstances.emplace_back(int(row), int(i));
            continue;
        }
        for (const int r : moved)
            if (const int row = rowOf(m_instances[i].rows()[std::size_t(r)].name); row >= 0)
                m_changedInstances.emplace_back(row, int(i));
    }
}

const DashboardState *DashboardState::instance(int index) const
{
    return index >= 0 && std::size_t(index) < m_instances.size() ? &m_instances[std::size_t(index)] : nullptr;
}

const DashboardState *DashboardState::instance(const std::string &name) const
{
    return m_fleet ? instance(m_fleet->instanceIndex(name)) : nullptr;
}

const ServiceRow *DashboardState::instanceRow(int instance, int row) const
{
    const DashboardState *s = this->instance(instance);
    if (!s || row < 0 || std::size_t(row) >= m_rows.size())
        return nullptr;
    const int there = s->rowOf(m_rows[std::size_t(row)].name);
    return there < 0 ? nullptr : &s->rows()[std::size_t(there)];
}

bool DashboardState::policyDiffers(int instance, int row) const
{
    const control::FleetTarget *target = row >= 0 && std::size_t(row) < m_rows.size()
                                             ? targetOf(m_fleet.get(), m_rows[std::size_t(row)].name)
                                             : nullptr;
    if (!target || !target->configDiffers)
        return false;
    const auto policyOn = [this, row](int i) -> const BreakerPolicy * {
        const DashboardState *s = this->instance(i);
        const BreakerSnapshot *b = s && s->snapshot() ? s->snapshot()->breaker(m_rows[std::size_t(row)].name) : nullptr;
        return b ? &b->policy : nullptr;
    };
    const BreakerPolicy *mine = policyOn(instance);
    if (!mine)
        return false;
    int having = 0;
    int same = 0;
    for (std::size_t i = 0; i < m_instances.size(); ++i)
        if (const BreakerPolicy *p = policyOn(int(i))) {
            ++having;
            same += *p == *mine;
        }
    return same * 2 <= having;
}

void DashboardState::addPoint(Track &track, const BreakerSnapshot &b, const control::ServiceTraffic *traffic,
                              std::int64_t nowMs)
{
    const double seconds = double(nowMs - track.atMs) / 1000.0;
    const auto perS = [seconds](std::uint64_t n) { return float(double(n) / seconds); };
    if (traffic)
        track.lastFailure = traffic->lastFailure;
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
    row.lastFailure = track.lastFailure;
    row.enforcement = b.policy.enforcement;
    row.wouldReject = b.totals.wouldRejectTotal();
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
