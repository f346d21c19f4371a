// A fleet for the dashboard tests: a control interface that sends
// hand-built fleet observations and records the commands it is given with
// their scope, answering for each instance. Three instances of the trio
// (alpha, beta, gamma in group trio): eu-1 and eu-2 connected, with other
// states and traffic; eu-3 reconnecting, its last observation kept. gamma's
// failure threshold is 90% on eu-1 and eu-3 but 60% on eu-2. eu-1 and eu-2
// share state in cluster "shop": eu-1's link to Redis is connected, eu-2's
// down; eu-3 shares nothing.
#pragma once

#include "uitesting.h"
#include "windowtesting.h"

#include "control/dashboardcontrol.h"
#include "ui/theme.h"

#include <QTimer>

#include <map>

namespace bb::testing {

// One instance's figures of one service: its state, the requests it has
// counted a second so far, and the duration bucket they fall in.
struct ServiceFigures {
    std::string name;
    BreakerState state = BreakerState::Closed;
    std::uint64_t perSecond = 0;
    std::size_t bucket = 0;
    double failureThreshold = 50.0;
};

struct InstanceFigures {
    std::string name;
    control::LinkStatus link;
    BreakerState group = BreakerState::Closed; // trio's state there
    std::vector<ServiceFigures> services;
    std::optional<control::SharedStateStatus> shared; // unset: shares nothing
};

// An instance of cluster "shop" whose link to Redis is in that state.
inline control::SharedStateStatus sharedState(const std::string &instance, control::SharedStateStatus::Link link,
                                              const QString &problem = {})
{
    const std::uint64_t unsent = link == control::SharedStateStatus::Link::Down ? 4 : 0;
    return {link, "shop", "10.0.0.5:6379/0", instance, "follow", problem, 1'700'000'000'000, 2, unsent};
}

// What an instance says at second `second` (counts grow by perSecond each second).
inline std::shared_ptr<const control::Observation> instanceObservation(const InstanceFigures &f, std::int64_t wallMs,
                                                                        int second)
{
    auto snap = std::make_shared<EngineSnapshot>();
    snap->wallMs = wallMs;
    auto obs = std::make_shared<control::Observation>();
    GroupSnapshot g;
    g.name = "trio";
    g.state = f.group;
    g.threshold = 50;
    for (const ServiceFigures &s : f.services) {
        static const Configuration config = parsed(kThreeServices);
        BreakerSnapshot b;
        b.name = s.name;
        b.state = s.state;
        b.policy = config.service(s.name)->policy; // the configuration's, but for the threshold
        b.policy.failureRateThreshold = s.failureThreshold;
        b.groups = {"trio"};
        b.totals.successes = s.perSecond * std::uint64_t(second);
        snap->breakers.push_back(b);
        g.members.push_back(s.name);
        g.membersOpen += isOpenLike(s.state);
        control::ServiceTraffic t;
        t.name = s.name;
        t.outcomes[std::size_t(proxy::RequestOutcome::Success)] = s.perSecond * std::uint64_t(second);
        t.durations[s.bucket] = s.perSecond * std::uint64_t(second);
        obs->traffic.push_back(t);
    }
    snap->groups.push_back(g);
    obs->engine = snap;
    obs->sharedState = f.shared;
    return obs;
}

// The fleet's observation of its instances: per breaker and group the worst
// state of the connected instances, counts and histograms summed over every
// instance that has said something.
inline std::shared_ptr<const control::Observation>
fleetObservation(const std::vector<control::InstanceView> &instances, std::int64_t wallMs)
{
    auto fleet = std::make_shared<control::FleetView>();
    fleet->instances = instances;
    auto snap = std::make_shared<EngineSnapshot>();
    snap->wallMs = wallMs;
    auto obs = std::make_shared<control::Observation>();
    const auto worse = [](BreakerState a, BreakerState b) { return ui::stateSeverity(b) > ui::stateSeverity(a) ? b : a; };
    const EngineSnapshot &shape = *instances.front().observation->engine;
    for (std::size_t k = 0; k < shape.breakers.size(); ++k) {
        BreakerSnapshot merged = shape.breakers[k];
        merged.state = BreakerState::Closed;
        merged.totals = {};
        control::ServiceTraffic traffic;
        traffic.name = merged.name;
        control::FleetTarget &target = fleet->breakers[merged.name];
        for (const control::InstanceView &in : instances) {
            const BreakerSnapshot &b = in.observation->engine->breakers[k];
            merged.totals.successes += b.totals.successes;
            traffic += in.observation->traffic[k];
            const bool reports = in.link.state == control::LinkStatus::State::Connected;
            target.states.push_back(reports ? std::optional(b.state) : std::nullopt);
            if (!reports)
                continue;
            merged.state = worse(merged.state, b.state);
            ++target.reporting;
            target.open += isOpenLike(b.state);
            target.configDiffers = target.configDiffers || !(b.policy == shape.breakers[k].policy);
        }
        snap->breakers.push_back(merged);
        obs->traffic.push_back(traffic);
    }
    GroupSnapshot group = shape.groups.front();
    group.state = BreakerState::Closed;
    control::FleetTarget &target = fleet->groups[group.name];
    for (const control::InstanceView &in : instances) {
        const bool reports = in.link.state == control::LinkStatus::State::Connected;
        const BreakerState s = in.observation->engine->groups.front().state;
        target.states.push_back(reports ? std::optional(s) : std::nullopt);
        if (!reports)
            continue;
        group.state = worse(group.state, s);
        ++target.reporting;
        target.open += isOpenLike(s);
    }
    snap->groups.push_back(group);
    obs->engine = snap;
    obs->fleet = fleet;
    return obs;
}

// What the control was asked to do.
struct SentCommand {
    bool policy = false; // a policy edit, else a change of state
    control::TargetKind kind = control::TargetKind::Breaker;
    std::string name;
    OperatorAction action = OperatorAction::Reset;
    std::string reason;
    control::Actor actor;
    control::Scope scope;
};

class FakeFleetControl : public control::DashboardControl {
public:
    static constexpr std::int64_t kStartMs = 1'700'000'000'000;

    FakeFleetControl()
    {
        using State = control::LinkStatus::State;
        m_instances = {
            {"eu-1",
             {State::Connected, {}, {}, -1},
             BreakerState::ForcedOpen,
             {{"alpha", BreakerState::Open, 30, 0, 50}, {"beta", BreakerState::Closed, 10, 2, 50},
              {"gamma", BreakerState::Closed, 5, 1, 90}},
             sharedState("eu-1", control::SharedStateStatus::Link::Connected)},
            {"eu-2",
             {State::Connected, {}, {}, -1},
             BreakerState::Closed,
             {{"alpha", BreakerState::Closed, 12, 5, 50}, {"beta", BreakerState::HalfOpen, 4, 3, 50},
              {"gamma", BreakerState::Closed, 2, 1, 60}},
             sharedState("eu-2", control::SharedStateStatus::Link::Down, "Connection refused")},
            {"eu-3",
             {State::Reconnecting, QStringLiteral("unreachable"), QStringLiteral("connection refused"), 3000},
             BreakerState::Closed,
             {{"alpha", BreakerState::Closed, 7, 0, 50}, {"beta", BreakerState::Closed, 7, 0, 50},
              {"gamma", BreakerState::Closed, 7, 0, 90}},
             std::nullopt},
        };
        // eu-3 was lost five seconds before the first observation: what it said last is kept.
        m_last = {nullptr, nullptr, instanceObservation(m_instances[2], kStartMs - 5000, 3)};
    }

    // The fleet at second `second` after the start; an instance not
    // connected is as it was when it was last connected.
    std::shared_ptr<const control::Observation> observationAt(int second)
    {
        const std::int64_t wallMs = kStartMs + second * 1000;
        std::vector<control::InstanceView> views;
        for (std::size_t i = 0; i < m_instances.size(); ++i) {
            const InstanceFigures &f = m_instances[i];
            if (f.link.state == control::LinkStatus::State::Connected)
                m_last[i] = instanceObservation(f, wallMs, second);
            views.push_back({f.name, QStringLiteral("https://%1.example:9901").arg(QString::fromStdString(f.name)),
                             f.link, m_last[i]});
        }
        return fleetObservation(views, wallMs);
    }
    void observe(int second) { emit observed(observationAt(second)); }
    // What one instance says alone, as over a window attached to it only.
    void observeAlone(std::size_t instance, int second)
    {
        emit observed(instanceObservation(m_instances[instance], kStartMs + second * 1000, second));
    }
    void setLink(std::size_t instance, control::LinkStatus link) { m_instances[instance].link = std::move(link); }
    void setShared(std::size_t instance, std::optional<control::SharedStateStatus> shared)
    {
        m_instances[instance].shared = std::move(shared);
    }

    // What an instance answers instead of doing it (others do it; one not connected is not reached).
    std::map<std::string, control::CommandResult> refusals;
    std::vector<SentCommand> sent;

    control::Answer<control::CommandResult> changeState(control::TargetKind kind, const std::string &name,
                                                        OperatorCommand command, control::Actor actor,
                                                        control::Scope scope) override
    {
        sent.push_back({false, kind, name, command.action, command.reason, actor, scope});
        return later(QStringLiteral("%1 %2").arg(QLatin1String(nameOf(command.action)), QString::fromStdString(name)),
                     resultFor(scope));
    }
    control::Answer<control::CommandResult> editPolicy(const std::string &name, const std::string &, WindowEdit,
                                                       const std::string &reason, control::Actor actor,
                                                       control::Scope scope) override
    {
        sent.push_back({true, control::TargetKind::Breaker, name, OperatorAction::Reset, reason, actor, scope});
        return later(QStringLiteral("editing %1").arg(QString::fromStdString(name)), resultFor(scope));
    }
    control::Answer<Configuration> configuration() override
    {
        return later(QStringLiteral("reading the configuration"), parsed(kThreeServices));
    }
    control::Answer<std::vector<TransitionEvent>> recentTransitions(control::TargetKind, const std::string &name) override
    {
        std::vector<TransitionEvent> of;
        for (const TransitionEvent &e : transitions)
            if (e.subject == name)
                of.push_back(e);
        return later(QStringLiteral("reading transitions"), of);
    }
    // What recentTransitions() gives, each marked with its instance as the fleet's are.
    std::vector<TransitionEvent> transitions;
    control::Answer<control::History> history(std::size_t) override
    {
        return later(QStringLiteral("reading the history"), control::History());
    }
    control::Answer<control::RecordingStatus> recording() override { return later(QStringLiteral("recording"), control::RecordingStatus()); }
    control::Answer<control::RecordingStatus> startRecording(const QString &) override { return recording(); }
    control::Answer<control::RecordingStatus> stopRecording() override { return recording(); }

private:
    control::CommandResult resultFor(const control::Scope &scope) const
    {
        control::CommandResult all;
        for (const InstanceFigures &f : m_instances) {
            if (!scope.instances.empty() &&
                std::find(scope.instances.begin(), scope.instances.end(), f.name) == scope.instances.end())
                continue;
            control::CommandResult r;
            if (f.link.state != control::LinkStatus::State::Connected)
                r = control::CommandResult::unreachable(f.link.message);
            else if (const auto it = refusals.find(f.name); it != refusals.end())
                r = it->second;
            if (!r.ok() && all.ok())
                all.status = r.status;
            all.instances.push_back({f.name, r});
        }
        return all;
    }
    // Answered from the event loop, as a real control answers.
    template <typename T> control::Answer<T> later(const QString &what, T value)
    {
        auto [ticket, result] = issue<T>(what);
        QTimer::singleShot(0, this, [this, ticket = ticket, value = std::move(value)] { answer(ticket, value); });
        return result;
    }

    std::vector<InstanceFigures> m_instances;
    std::vector<std::shared_ptr<const control::Observation>> m_last; // by instance
};

// The window over the fleet above.
struct FleetWindow {
    FakeFleetControl control;
    ui::DashboardLink link{control};
    ui::MainWindow window{link, nullptr};

    // One observation through the link, as the window gets them.
    void observe(int second)
    {
        const int before = window.observationsApplied();
        control.observe(second);
        QTRY_VERIFY(window.observationsApplied() > before);
    }
    // What one instance says alone, through the link.
    void observeAlone(std::size_t instance, int second)
    {
        const int before = window.observationsApplied();
        control.observeAlone(instance, second);
        QTRY_VERIFY(window.observationsApplied() > before);
    }
    // Seconds 0 to n - 1: after two, every live instance has rates.
    void observeSeconds(int n)
    {
        for (int s = 0; s < n; ++s)
            observe(s);
    }
    ui::ThresholdEditor *openEditor() { return openThresholdEditor(window); }
};

} // namespace bb::testing
