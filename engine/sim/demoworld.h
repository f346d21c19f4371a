// The world the demo runs in: a simulated service behind every configured
// service, steady traffic to each through the proxy, and a scenario changing
// the services on a timeline the trainer can pause, slow down, step and
// restart. The proxy and engine are the real ones, started by the caller.
// The timeline and the traffic take their time from the clock given.
#pragma once

#include "scenario.h"
#include "simulatedservice.h"
#include "trafficgenerator.h"

#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <optional>

namespace bb::sim {

class DemoWorld : public QObject {
    Q_OBJECT
public:
    // One simulated service per service of config, healthy at first.
    DemoWorld(const Configuration &config, const Clock &clock, QObject *parent = nullptr);
    ~DemoWorld() override;

    bool start(QString *error);
    // Sets every service's upstream to its simulated service.
    void pointUpstreams(Configuration &config) const;
    // Sends ratePerService requests a second to every service's first path
    // route (over TLS when the proxy listens so).
    void startTraffic(const QHostAddress &proxyAddress, quint16 proxyPort, const Configuration &config,
                      double ratePerService, bool overTls = false);

    void play(Scenario scenario);
    void restart();
    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    // A factor on the scenario's clock and on every traffic rate.
    void setSpeed(double factor);
    double speed() const { return m_speed; }
    // One request to every service, and the scenario one second on.
    void step();

    SimulatedService *service(const std::string &name) const;
    TrafficGenerator *traffic() const { return m_traffic.get(); }
    const ScenarioPlayer *player() const { return m_player ? &*m_player : nullptr; }

signals:
    void captioned(const QString &caption);

private:
    void tick();
    void apply(const std::vector<ScenarioStep> &steps);

    const Clock &m_clock;
    std::map<std::string, std::unique_ptr<SimulatedService>> m_services;
    std::unique_ptr<TrafficGenerator> m_traffic;
    std::optional<ScenarioPlayer> m_player;
    QTimer m_tick;
    TimePoint m_lastTick;
    bool m_paused = false;
    double m_speed = 1.0;
};

} // namespace bb::sim
