#include "replayrun.h"

#include <algorithm>
#include <limits>

namespace bb::record {

namespace {
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// The heap's order: the earliest completion on top, ties in arrival order.
struct Later {
    bool operator()(const auto &a, const auto &b) const
    {
        return a.atNs != b.atNs ? a.atNs > b.atNs : a.order > b.order;
    }
};

Outcome breakerOutcome(CallOutcome o)
{
    switch (o) {
    case CallOutcome::Failure: return Outcome::Failure;
    case CallOutcome::Timeout: return Outcome::Timeout;
    case CallOutcome::Ignored: return Outcome::Ignored;
    default: return Outcome::Success;
    }
}
} // namespace

ReplayRun::ReplayRun(std::shared_ptr<const Recording> recording, const Configuration &config, std::uint64_t seed)
    : m_recording(std::move(recording)),
      m_originNs(m_recording->header.startEngineNs > 0 ? m_recording->header.startEngineNs : kDefaultOriginNs),
      m_clock(TimePoint(Duration(m_originNs)), m_recording->header.startWallMs - m_originNs / 1000000),
      m_endNs(m_recording->endNs())
{
    EngineOptions options;
    options.seed = seed;
    m_engine = std::make_unique<Engine>(m_clock, m_clock, options);
    installConfiguration(config, *m_engine);
    for (const std::string &name : m_recording->services)
        m_breakers.push_back(m_engine->breaker(name));
    m_known.resize(m_recording->services.size());
    m_pending.reserve(1024);
}

ReplayRun::~ReplayRun() = default;

void ReplayRun::advanceTo(std::int64_t tNs)
{
    // The engine's clock counts from m_originNs: no further than it can.
    tNs = std::min(tNs, std::numeric_limits<std::int64_t>::max() - m_originNs);
    const std::vector<RecordedCall> &calls = m_recording->calls;
    for (;;) {
        const std::int64_t arrival = m_next < calls.size() ? calls[m_next].atNs : kNever;
        const std::int64_t done = m_pending.empty() ? kNever : m_pending.front().atNs;
        const std::int64_t at = std::min(arrival, done);
        if (at > tNs || at == kNever)
            break;
        if (at > m_positionNs) {
            m_clock.advanceTo(TimePoint(Duration(m_originNs + at)));
            m_positionNs = at;
        }
        // A call that completes when another arrives is heard first.
        if (done <= arrival) {
            std::pop_heap(m_pending.begin(), m_pending.end(), Later{});
            const Completion completion = m_pending.back();
            m_pending.pop_back();
            complete(completion);
        } else {
            arrive(calls[m_next++]);
        }
    }
    // At the end, calls still under way (assumed ones can outlast the
    // recording) complete too.
    if (tNs >= m_endNs && !m_pending.empty()) {
        std::int64_t last = tNs;
        for (const Completion &c : m_pending)
            last = std::max(last, c.atNs);
        advanceTo(last);
        return;
    }
    if (tNs > m_positionNs) {
        m_clock.advanceTo(TimePoint(Duration(m_originNs + tNs)));
        m_positionNs = tNs;
    }
    collectEvents();
}

void ReplayRun::arrive(const RecordedCall &call)
{
    CircuitBreaker *breaker = m_breakers[call.service].get();
    ++m_counts.calls;
    if (!breaker) {
        ++m_counts.unknownService;
        return;
    }
    Known &known = m_known[call.service];
    CallOutcome outcome = call.outcome;
    std::int64_t latency = call.latencyNs;
    if (outcome != CallOutcome::Rejected)
        known = {true, outcome, latency};
    const Permit permit = breaker->tryAcquire();
    if (!permit) {
        ++m_counts.rejected;
        if (m_listener)
            m_listener->counted(call.service, CallOutcome::Rejected, permit.rejectReason(), 0);
        return;
    }
    if (permit.wouldReject())
        ++m_counts.wouldReject;
    if (outcome == CallOutcome::Rejected) {
        if (!known.any) {
            breaker->release(permit);
            ++m_counts.unplayable;
            return;
        }
        ++m_counts.assumed;
        outcome = known.outcome;
        latency = known.latencyNs;
    }
    m_pending.push_back({call.atNs + latency, m_order++, call.service, outcome, latency, permit});
    std::push_heap(m_pending.begin(), m_pending.end(), Later{});
}

void ReplayRun::complete(const Completion &c)
{
    m_breakers[c.service]->record(c.permit, breakerOutcome(c.outcome), Duration(c.latencyNs));
    if (m_listener)
        m_listener->counted(c.service, c.outcome, RejectReason::NotRejected, c.latencyNs);
}

void ReplayRun::collectEvents()
{
    if (m_leaveEvents)
        return;
    for (TransitionEvent &event : m_engine->drainEvents()) {
        OpenTime &open = m_open[event.subject];
        const std::int64_t at = offsetNs(event.at);
        event.at = TimePoint(Duration(at));
        if (event.to == BreakerState::Open) {
            ++open.opens;
            open.openedAt = at;
        } else if (event.from == BreakerState::Open && open.openedAt) {
            open.openNs += at - *open.openedAt;
            open.openedAt.reset();
        }
        m_events.push_back(std::move(event));
    }
}

std::vector<TransitionEvent> ReplayRun::takeTransitions() { return std::exchange(m_events, {}); }

ReplaySummary ReplayRun::summary() const
{
    ReplaySummary s = m_counts;
    const auto add = [&](const std::string &name, bool isGroup, std::uint64_t rejected, std::uint64_t wouldReject) {
        SubjectSummary subject{name, isGroup, 0, 0, rejected, wouldReject};
        if (const auto it = m_open.find(name); it != m_open.end()) {
            subject.opens = it->second.opens;
            subject.openNs = it->second.openNs + (it->second.openedAt ? m_positionNs - *it->second.openedAt : 0);
        }
        s.subjects.push_back(std::move(subject));
    };
    const EngineSnapshot snapshot = m_engine->snapshot();
    for (const BreakerSnapshot &b : snapshot.breakers)
        add(b.name, false, b.totals.rejectedTotal(), b.totals.wouldRejectTotal());
    for (const GroupSnapshot &g : snapshot.groups)
        add(g.name, true, 0, 0);
    return s;
}

} // namespace bb::record
