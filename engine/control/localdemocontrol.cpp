#include "localdemocontrol.h"

#include "sim/demoworld.h"
#include "sim/scenario.h"

namespace bb::control {

namespace {
DemoStatus statusOf(const sim::DemoWorld &world)
{
    DemoStatus s;
    s.paused = world.paused();
    s.speed = world.speed();
    if (const sim::ScenarioPlayer *p = world.player()) {
        s.scenario = QString::fromStdString(p->scenario().name);
        s.position = p->position();
        s.duration = p->scenario().duration;
        s.caption = QString::fromStdString(p->caption());
    }
    return s;
}
} // namespace

struct LocalDemoControl::Offer {
    std::vector<sim::Scenario> scenarios;
    std::vector<std::string> services;
};

LocalDemoControl::LocalDemoControl(sim::DemoWorld &world, std::vector<sim::Scenario> scenarios,
                                   std::vector<std::string> services, QObject *parent)
    : DemoControl(parent), m_world(&world),
      m_offer(std::make_shared<Offer>(Offer{std::move(scenarios), std::move(services)}))
{
    connect(&world, &sim::DemoWorld::captioned, &world, [mailbox = mailbox(), this](const QString &caption) {
        mailbox->post([this, caption] { emit captioned(caption); });
    });
}

LocalDemoControl::~LocalDemoControl() = default;

template <typename Change> Answer<DemoStatus> LocalDemoControl::change(const QString &what, Change change)
{
    return runOn<DemoStatus>(m_world, what, [world = m_world, change = std::move(change)] {
        change(*world);
        return statusOf(*world);
    }, [this](const DemoStatus &s) { setStatus(s); });
}

Answer<QStringList> LocalDemoControl::scenarios()
{
    return runOn<QStringList>(m_world, QStringLiteral("listing the scenarios"), [offer = m_offer] {
        QStringList names;
        for (const sim::Scenario &s : offer->scenarios)
            names << QString::fromStdString(s.name);
        return names;
    });
}

Answer<DemoStatus> LocalDemoControl::play(const QString &scenario)
{
    return change(QStringLiteral("starting %1").arg(scenario), [offer = m_offer, name = scenario.toStdString()](sim::DemoWorld &w) {
        for (const sim::Scenario &s : offer->scenarios)
            if (s.name == name)
                return w.play(s);
    });
}

Answer<ScenarioLoad> LocalDemoControl::playFile(const QString &path)
{
    return runOn<ScenarioLoad>(m_world, QStringLiteral("reading %1").arg(path), [offer = m_offer, world = m_world, path] {
        const sim::ScenarioResult r = sim::loadScenario(path.toStdString(), offer->services);
        QStringList errors;
        for (const ConfigIssue &issue : r.issues)
            if (!issue.warning)
                errors << QString::fromStdString(issue.toString());
        ScenarioLoad load;
        if (!r.scenario || !errors.isEmpty()) {
            load.errors = errors.isEmpty() ? QStringLiteral("%1: no scenario").arg(path) : errors.join(QLatin1Char('\n'));
            return load;
        }
        offer->scenarios.push_back(*r.scenario);
        world->play(*r.scenario);
        load.name = QString::fromStdString(r.scenario->name);
        load.duration = r.scenario->duration;
        return load;
    });
}

Answer<DemoStatus> LocalDemoControl::restart()
{
    return change(QStringLiteral("restarting the scenario"), [](sim::DemoWorld &w) { w.restart(); });
}

Answer<DemoStatus> LocalDemoControl::setPaused(bool paused)
{
    return change(paused ? QStringLiteral("pausing") : QStringLiteral("resuming"),
                  [paused](sim::DemoWorld &w) { w.setPaused(paused); });
}

Answer<DemoStatus> LocalDemoControl::setSpeed(double factor)
{
    return change(QStringLiteral("changing the speed"), [factor](sim::DemoWorld &w) { w.setSpeed(factor); });
}

Answer<DemoStatus> LocalDemoControl::step()
{
    return change(QStringLiteral("stepping"), [](sim::DemoWorld &w) { w.step(); });
}

Answer<DemoStatus> LocalDemoControl::refresh()
{
    return change(QStringLiteral("asking the demo"), [](sim::DemoWorld &) {});
}

} // namespace bb::control
