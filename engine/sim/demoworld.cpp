#include "demoworld.h"

namespace bb::sim {

DemoWorld::DemoWorld(const Configuration &config, const Clock &clock, QObject *parent)
    : QObject(parent), m_clock(clock), m_tick(this)
{
    std::uint64_t seed = 1;
    for (const auto &s : config.services)
        m_services.emplace(s.name, std::make_unique<SimulatedService>(s.name, seed++, this));
    connect(&m_tick, &QTimer::timeout, this, &DemoWorld::tick);
}

DemoWorld::~DemoWorld() = default;

bool DemoWorld::start(QString *error)
{
    for (auto &[name, service] : m_services)
        if (!service->listen(error))
            return false;
    return true;
}

void DemoWorld::pointUpstreams(Configuration &config) const
{
    for (auto &s : config.services)
        if (const SimulatedService *sim = service(s.name))
            s.upstream = parseUpstreamUrl("http://127.0.0.1:" + std::to_string(sim->port()), nullptr);
}

void DemoWorld::startTraffic(const QHostAddress &proxyAddress, quint16 proxyPort, const Configuration &config,
                             double ratePerService, bool overTls)
{
    m_traffic = std::make_unique<TrafficGenerator>(m_clock, proxyAddress, proxyPort, overTls);
    m_traffic->setSpeed(m_speed);
    m_traffic->setPaused(m_paused);
    for (const auto &s : config.services) {
        const auto route = std::find_if(s.routes.begin(), s.routes.end(),
                                        [](const RouteRule &r) { return !r.pathPrefix.empty(); });
        if (route != s.routes.end())
            m_traffic->setTarget(s.name, route->pathPrefix + "/demo", ratePerService);
    }
}

SimulatedService *DemoWorld::service(const std::string &name) const
{
    const auto it = m_services.find(name);
    return it == m_services.end() ? nullptr : it->second.get();
}

void DemoWorld::play(Scenario scenario)
{
    m_player.emplace(std::move(scenario));
    m_lastTick = m_clock.now();
    m_tick.start(100);
    apply(m_player->advance(0));
}

void DemoWorld::restart()
{
    if (!m_player)
        return;
    for (auto &[name, service] : m_services)
        service->setBehaviour({});
    m_player->restart();
    m_lastTick = m_clock.now();
    apply(m_player->advance(0));
}

void DemoWorld::setPaused(bool paused)
{
    if (m_paused && !paused)
        m_lastTick = m_clock.now(); // time paused never moves the timeline
    m_paused = paused;
    if (m_traffic)
        m_traffic->setPaused(paused);
}

void DemoWorld::setSpeed(double factor)
{
    m_speed = std::clamp(factor, 0.05, 20.0);
    if (m_traffic)
        m_traffic->setSpeed(m_speed);
}

void DemoWorld::step()
{
    if (m_traffic)
        m_traffic->step();
    if (m_player)
        apply(m_player->advance(1.0));
}

void DemoWorld::tick()
{
    const TimePoint now = m_clock.now();
    const double seconds = std::min(1.0, std::chrono::duration<double>(now - m_lastTick).count());
    m_lastTick = now;
    if (!m_paused && m_player)
        apply(m_player->advance(seconds * m_speed));
}

void DemoWorld::apply(const std::vector<ScenarioStep> &steps)
{
    for (const ScenarioStep &step : steps) {
        if (SimulatedService *s = service(step.service)) {
            ServiceBehaviour b = s->behaviour();
            if (step.failureRate)
                b.failureRate = *step.failureRate;
            if (step.latency)
                b.latency = *step.latency;
            if (step.latencySpread)
                b.latencySpread = *step.latencySpread;
            if (step.outage)
                b.outage = *step.outage;
            if (step.slowDrip)
                b.slowDrip = *step.slowDrip;
            s->setBehaviour(b);
            if (step.rate && m_traffic)
                m_traffic->setRate(step.service, *step.rate);
        }
        if (!step.caption.empty())
            emit captioned(QString::fromStdString(step.caption));
    }
}

} // namespace bb::sim
