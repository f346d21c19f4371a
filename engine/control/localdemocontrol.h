// The demo's control interface over a demo world in this process (on the
// simulation thread). Scenario files are read and checked there too, so
// the window never parses one.
#pragma once

#include "democontrol.h"

#include <string>
#include <vector>

namespace bb::sim {
class DemoWorld;
struct Scenario;
} // namespace bb::sim

namespace bb::control {

class LocalDemoControl : public DemoControl {
    Q_OBJECT
public:
    // scenarios: those offered, the first playing; services: the names a
    // scenario file may use. The world outlives this object.
    LocalDemoControl(sim::DemoWorld &world, std::vector<sim::Scenario> scenarios, std::vector<std::string> services,
                     QObject *parent = nullptr);
    ~LocalDemoControl() override;

    Answer<QStringList> scenarios() override;
    Answer<DemoStatus> play(const QString &scenario) override;
    Answer<ScenarioLoad> playFile(const QString &path) override;
    Answer<DemoStatus> restart() override;
    Answer<DemoStatus> setPaused(bool paused) override;
    Answer<DemoStatus> setSpeed(double factor) override;
    Answer<DemoStatus> step() override;
    Answer<DemoStatus> refresh() override;

private:
    struct Offer; // on the simulation thread: the scenarios offered and the services
    template <typename Change> Answer<DemoStatus> change(const QString &what, Change change);

    sim::DemoWorld *m_world;
    std::shared_ptr<Offer> m_offer;
};

} // namespace bb::control
