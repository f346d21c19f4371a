#include "headlessmode.h"

#include "consoleoutput.h"
#include "signalwatcher.h"

#include "config/configloader.h"
#include "core/engine.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"
#include "proxy/proxyserver.h"

#include <QCoreApplication>

namespace bb::app {

int runHeadless(const HeadlessOptions &options)
{
    const ConfigResult loaded = loadConfiguration(options.configPath.toStdString());
    for (const auto &issue : loaded.issues)
        printError(QString::fromStdString(issue.toString()));
    if (!loaded.ok()) {
        printError(QStringLiteral("breakerboard: %1 has errors; nothing was started").arg(options.configPath));
        return 1;
    }
    ControlPlaneOptions controlOptions = options.control;
    controlOptions.configPath = options.configPath;
    Configuration config = *loaded.config;
    if (!applyPolicyOverlay(config, controlOptions))
        return 1;
    SystemClock clock;
    ThreadTimer timers(clock);
    Engine engine(clock, timers);
    installConfiguration(config, engine);
    auto routes = std::make_shared<const proxy::RouteTable>(config, engine);
    // Forced states come back before the first request is let in.
    const auto plane = ControlPlane::start(engine, config, routes, controlOptions);
    if (!plane)
        return 1;

    proxy::ProxyOptions proxyOptions;
    proxyOptions.address = options.proxyAddress;
    proxyOptions.port = options.proxyPort;
    proxyOptions.workers = options.workers;
    proxy::ProxyServer server(engine, routes, proxyOptions);
    QString error;
    if (!server.start(&error)) {
        printError(QStringLiteral("breakerboard: cannot listen for the proxy on %1").arg(error));
        return 1;
    }
    print(QStringLiteral("Breakerboard headless: proxy on http://%1 with %2 workers, %3 services, %4 groups. "
                         "SIGINT or SIGTERM stops it.")
              .arg(server.address())
              .arg(server.workerCount())
              .arg(config.services.size())
              .arg(config.groups.size()));

    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, qApp, [](int number) {
        print(QStringLiteral("Stopping (signal %1): finishing requests under way.").arg(number));
        QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    server.stop();
    plane->control().sample();
    print(QStringLiteral("Stopped."));
    return code;
}

} // namespace bb::app
