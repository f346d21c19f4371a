#include "enginedemomode.h"

#include "consoleoutput.h"
#include "signalwatcher.h"

#include "core/engine.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"
#include "sim/enginedemo.h"
#include "sim/seedservices.h"

#include <QCoreApplication>
#include <QTimer>


namespace bb::app {

namespace {
constexpr int kTickMs = 50;

void printStatus(const EngineSnapshot &s)
{
    QStringList parts;
    for (const auto &b : s.breakers) {
        if (b.state != BreakerState::Closed)
            parts << QStringLiteral("%1 %2").arg(QString::fromStdString(b.name), QString(nameOf(b.state).data()));
    }
    for (const auto &g : s.groups) {
        if (g.state != BreakerState::Closed)
            parts << QStringLiteral("group %1 %2").arg(QString::fromStdString(g.name), QString(nameOf(g.state).data()));
    }
    print(QStringLiteral("%1  status: %2").arg(clockTime(s.wallMs),
                                               parts.isEmpty() ? QStringLiteral("all closed") : parts.join(", ")));
}
} // namespace

int runEngineDemo(const EngineDemoOptions &options)
{
    SystemClock clock;
    ThreadTimer timers(clock);
    Engine engine(clock, timers);
    ControlPlaneOptions controlOptions = options.control;
    controlOptions.configPath.clear();
    controlOptions.adminRequired = false;
    Configuration config = sim::seedCatalogue();
    if (!applyPolicyOverlay(config, controlOptions))
        return 1;
    installConfiguration(config, engine);
    sim::EngineDemo demo(engine, sim::EngineDemo::defaultTimeline(), 120.0);

    print(QStringLiteral("Breakerboard engine demo: %1 services in %2 groups, %3 calls/s each. Ctrl-C stops.")
              .arg(engine.breakers().size())
              .arg(engine.groups().size())
              .arg(options.callsPerSecond));

    const auto plane = ControlPlane::start(engine, config, nullptr, controlOptions);
    if (!plane)
        return 1;

    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, qApp, [](int) {
        print(QStringLiteral("Stopping."));
        QCoreApplication::quit();
    });

    // Spread each second's calls over the ticks.
    const double perTick = options.callsPerSecond * kTickMs / 1000.0;
    double owed = 0.0;
    int ticks = 0;
    QTimer traffic;
    QObject::connect(&traffic, &QTimer::timeout, [&] {
        owed += perTick;
        const int now = int(owed);
        owed -= now;
        for (const auto &caption : demo.tick(now))
            print(QStringLiteral("%1  ▶ %2").arg(clockTime(clock.wallMs(clock.now())), QString::fromStdString(caption)));
        if (++ticks % (10'000 / kTickMs) == 0)
            printStatus(engine.snapshot());
    });
    traffic.start(kTickMs);
    if (options.stopAfterSeconds > 0)
        QTimer::singleShot(int(options.stopAfterSeconds * 1000), qApp, &QCoreApplication::quit);

    const int code = QCoreApplication::exec();
    traffic.stop();
    plane->control().sample();
    return code;
}

} // namespace bb::app
