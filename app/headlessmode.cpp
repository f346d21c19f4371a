#include "headlessmode.h"

#include "consoleoutput.h"
#include "signalwatcher.h"

#include "proxystack.h"

#include "config/configloader.h"

#include <QCoreApplication>
#include <QSysInfo>

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
    auto stack = ProxyStack::start(config, controlOptions, options.proxy);
    if (stack)
        announceSharedState(config, options.shared, stack->server().port());
    return stack;
}

void announceSharedState(const Configuration &config, const SharedStateFlags &flags, quint16 proxyPort)
{
    // The machine and the port tell instances apart across hosts.
    const std::string defaultInstance = QSysInfo::machineHostName().toStdString() + ':' + std::to_string(proxyPort);
    const auto shared = mergeSharedState(config.sharedState, flags, defaultInstance);
    if (!shared)
        return;
    const SharedStateConfig &c = shared->config;
    print(QStringLiteral("Shared state configured: cluster %1, redis %2, instance %3, breakers %4%5; "
                         "not yet active (no Redis connection).")
              .arg(QString::fromStdString(c.cluster), QString::fromStdString(c.redis.display()),
                   QString::fromStdString(shared->instance), QString::fromUtf8(nameOf(c.breakers).data()),
                   c.quorum ? QStringLiteral(" (quorum %1)").arg(*c.quorum) : QString()));
}

int runHeadless(const HeadlessOptions &options)
{
    Configuration config;
    auto stack = startConfigured(options, config);
    if (!stack)
        return 1;
    const proxy::ProxyServer &server = stack->server();
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
    stack.reset();
    print(QStringLiteral("Stopped."));
    return code;
}

} // namespace bb::app
