#include "timeline.h"

#include <algorithm>
#include <map>

namespace bb::record {

std::int64_t TimelineRecorder::stepFor(std::int64_t endNs, int samples)
{
    return std::max<std::int64_t>(1, std::min<std::int64_t>(1'000'000'000, endNs / std::max(1, samples)));
}

TimelineRecorder::TimelineRecorder(ReplaySet &set) : m_set(set), m_services(set.run(0).recording().services)
{
    m_lines.resize(m_services.size());
    m_breakers.resize(set.size());
    for (std::size_t c = 0; c < set.size(); ++c) {
        for (std::size_t s = 0; s < m_services.size(); ++s) {
            const auto breaker = set.run(c).engine().breaker(m_services[s]);
            m_breakers[c].push_back(breaker.get()); // the engine keeps it
            Timeline t;
            t.config = set.names()[c];
            if (const ServiceConfig *service = set.config(c).config.service(m_services[s]))
                t.failureThreshold = service->policy.failureRateThreshold;
            m_lines[s].push_back(std::move(t));
        }
    }
}

void TimelineRecorder::sample()
{
    for (std::size_t c = 0; c < m_set.size(); ++c) {
        ReplayRun &run = m_set.run(c);
        const TimePoint now = run.engine().clock().now();
        for (std::size_t s = 0; s < m_services.size(); ++s) {
            if (CircuitBreaker *breaker = m_breakers[c][s]) {
                const BreakerSnapshot b = breaker->snapshot(now);
                m_lines[s][c].samples.push_back({run.positionNs(), b.failureRate, b.state});
            }
        }
    }
}

void TimelineRecorder::transitions(const std::vector<ReplayedTransition> &batch)
{
    for (const ReplayedTransition &t : batch) {
        if (t.event.isGroup || t.event.to != BreakerState::Open)
            continue;
        const auto it = std::find(m_services.begin(), m_services.end(), t.event.subject);
        if (it != m_services.end())
            m_lines[std::size_t(it - m_services.begin())][t.config].opens.push_back(t.tNs());
    }
}

std::vector<Timeline> TimelineRecorder::timelines(const std::string &service) const
{
    const auto it = std::find(m_services.begin(), m_services.end(), service);
    return it == m_services.end() ? std::vector<Timeline>{} : m_lines[std::size_t(it - m_services.begin())];
}

WhatIf playWhatIf(std::shared_ptr<const Recording> recording, std::vector<NamedConfiguration> configs,
                  const std::function<void(double)> &progress)
{
    ReplaySet set(recording, std::move(configs));
    TimelineRecorder course(set);
    course.sample();
    WhatIf result;
    result.configs = set.names();
    const std::int64_t step = TimelineRecorder::stepFor(set.endNs());
    for (std::int64_t t = step; !set.atEnd(); t = std::min(set.endNs(), t + step)) {
        std::vector<ReplayedTransition> batch = set.advanceTo(t);
        course.transitions(batch);
        course.sample();
        result.transitions.insert(result.transitions.end(), std::make_move_iterator(batch.begin()),
                                  std::make_move_iterator(batch.end()));
        if (progress && set.endNs() > 0)
            progress(double(set.positionNs()) / double(set.endNs()));
    }
    for (const std::string &service : recording->services)
        result.courses[service] = course.timelines(service);
    result.shown = serviceToShow(result.transitions, *recording);
    return result;
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
