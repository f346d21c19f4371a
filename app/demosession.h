// A running demo: the simulated services and their traffic on a simulation
// thread, the proxy stack in front of them, and the scenarios on offer. The
// terminal demo and the dashboard both start one.
#pragma once

#include "demomode.h"
#include "proxystack.h"

#include "control/threadcall.h"
#include "core/systemclock.h"
#include "sim/demoworld.h"

#include <memory>
#include <optional>

namespace bb::app {

struct DemoSetup {
    Configuration config;
    std::vector<sim::Scenario> scenarios; // the one to play first, then the other built-in ones
    std::vector<std::string> services;
    ControlPlaneOptions control;
};


class DemoSession {
public:
    // Reads the demo configuration and the scenarios and starts the world and
    // the proxy stack; null after printing why it cannot. Traffic flows; no
    // scenario plays yet.
    static std::unique_ptr<DemoSession> start(const DemoOptions &options);
    // Plays the first scenario of the setup (connect to captions before).
    // Waits for the simulation thread: for the terminal demo, which has no
    // window; the dashboard plays through its demo control.
    void play();
    ~DemoSession();
    DemoSession(const DemoSession &) = delete;
    DemoSession &operator=(const DemoSession &) = delete;

    ProxyStack &stack() { return *m_stack; }
    // Lives on the simulation thread: the dashboard reaches it through a
    // control::LocalDemoControl, startup and the terminal demo through callOn.
    sim::DemoWorld &world() { return *m_world; }
    const DemoSetup &setup() const { return m_setup; }

private:
    DemoSession() = default;
    DemoSetup m_setup;
    SystemClock m_clock; // the simulation's time
    control::ObjectThread m_simulation{QStringLiteral("simulation")};
    std::unique_ptr<sim::DemoWorld> m_world;
    std::unique_ptr<ProxyStack> m_stack;
};

} // namespace bb::app
