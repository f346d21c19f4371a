#include "timeline.h"

#include <map>

namespace bb::record {

TimelineRecorder::TimelineRecorder(ReplaySet &set, std::string service) : m_set(set), m_service(std::move(service))
{
    for (std::size_t i = 0; i < set.size(); ++i) {
        Timeline t;
        t.config = set.names()[i];
        if (const ServiceConfig *s = set.config(i).config.service(m_service)) {
            t.failureThreshold = s->policy.failureRateThreshold;
            t.slowCallThreshold = s->policy.slowCallRateThreshold;
        }
        m_timelines.push_back(std::move(t));
    }
}

void TimelineRecorder::sample()
{
    for (std::size_t i = 0; i < m_set.size(); ++i) {
        ReplayRun &run = m_set.run(i);
        const auto breaker = run.engine().breaker(m_service);
        if (!breaker)
            continue;
        const BreakerSnapshot s = breaker->snapshot(run.engine().clock().now());
        m_timelines[i].samples.push_back({run.positionNs(), s.failureRate, s.slowCallRate, s.state});
    }
}

void TimelineRecorder::transitions(const std::vector<ReplayedTransition> &batch)
{
    for (const ReplayedTransition &t : batch) {
        if (!t.event.isGroup && t.event.subject == m_service && t.event.to == BreakerState::Open)
            m_timelines[t.config].opens.push_back(t.tNs());
    }
}

std::vector<Timeline> sampleTimelines(std::shared_ptr<const Recording> recording,
                                      std::vector<NamedConfiguration> configs, const std::string &service, int steps)
{
    ReplaySet set(std::move(recording), std::move(configs));
    TimelineRecorder timelines(set, service);
    const std::int64_t end = set.endNs();
    const std::int64_t step = std::max<std::int64_t>(1, std::min<std::int64_t>(1'000'000'000, end / std::max(1, steps)));
    timelines.sample();
    for (std::int64_t t = step; !set.atEnd(); t = std::min(end, t + step)) {
        timelines.transitions(set.advanceTo(t));
        timelines.sample();
    }
    return timelines.timelines();
}

std::string serviceToShow(const std::vector<ReplayedTransition> &transitions, const Recording &recording)
{
    for (const ReplayedTransition &t : transitions) {
        if (!t.event.isGroup && t.event.to == BreakerState::Open)
            return t.event.subject;
    }
    std::map<std::uint32_t, std::uint64_t> failures;
    for (const RecordedCall &c : recording.calls) {
        if (c.outcome == CallOutcome::Failure || c.outcome == CallOutcome::Timeout)
            ++failures[c.service];
    }
    std::uint32_t best = 0;
    std::uint64_t most = 0;
    for (const auto &[service, count] : failures) {
        if (count > most)
            best = service, most = count;
    }
    return recording.services.empty() ? std::string() : recording.services[best];
}

} // namespace bb::record
