#include "headlessmode.h"

#include "clusterstart.h"
#include "consoleoutput.h"
#include "signalwatcher.h"

#include "proxystack.h"

#include "config/configloader.h"

#include <QCoreApplication>

namespace bb::app {

std::unique_ptr<ProxyStack> startConfigured(const HeadlessOptions &options, Configuration &config)
{
    const ConfigResult loaded = loadConfiguration(options.configPath.toStdString());
    for (const auto &issue : loaded.issues)
        printError(QString::fromStdString(issue.toString()));
    if (!loaded.ok()) {
        printError(QStringLiteral("breakerboard: %1 has errors; nothing was started").arg(options.configPath));
        return nullptr;
    }
    ControlPlaneOptions controlOptions = options.control;
    controlOptions.configPath = options.configPath;
    config = *loaded.config;
    if (!applyPolicyOverlay(config, controlOptions))
        return nullptr;
    controlOptions.shared = sharedStateSettings(config, options.shared, options.proxy.port);
    auto stack = ProxyStack::start(config, controlOptions, options.proxy);
    // Port 0 asked for any port: the name says the one the proxy got.
    if (stack && controlOptions.shared && !options.shared.instance && options.proxy.port == 0)
        stack->renameInstance(sharedStateSettings(config, options.shared, stack->server().port())->instance);
    return stack;
}

int runHeadless(const HeadlessOptions &options)
{
    Configuration config;
    auto stack = startConfigured(options, config);
    if (!stack)
        return 1;
    const proxy::ProxyServer &server = stack->server();
    print(QStringLiteral("Breakerboard headless: proxy on %1 with %2 workers, %3 services, %4 groups. "
                         "SIGINT or SIGTERM stops it%5.")
              .arg(server.url())
              .arg(server.workerCount())
              .arg(config.services.size())
              .arg(config.groups.size())
              .arg(server.usesTls() ? QStringLiteral("; SIGHUP reads its certificate again") : QString()));

    SignalWatcher stopSignals(true);
    QObject::connect(&stopSignals, &SignalWatcher::reloadRequested, qApp, [&stack] { stack->reloadTls(); });
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, qApp, [](int number) {
        print(QStringLiteral("Stopping (signal %1): finishing requests under way.").arg(number));
        QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    stack.reset();
    print(QStringLiteral("Stopped."));
    return code;
}

} // namespace bb::app
