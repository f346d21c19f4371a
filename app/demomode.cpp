#include "demomode.h"

#include "consoleoutput.h"
#include "signalwatcher.h"

#include "proxystack.h"

#include "config/configloader.h"
#include "sim/demoworld.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

namespace bb::app {

namespace {
// A file from disk or from the built-in resources (":/...").
std::optional<std::string> readAll(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    return f.readAll().toStdString();
}

bool printIssues(const std::vector<ConfigIssue> &issues)
{
    bool errors = false;
    for (const auto &issue : issues) {
        printError(QString::fromStdString(issue.toString()));
        errors = errors || !issue.warning;
    }
    return errors;
}
} // namespace

int runDemo(const DemoOptions &options)
{
    const ConfigResult loaded = parseConfiguration(*readAll(QStringLiteral(":/config/demo.yaml")), "demo.yaml");
    if (!loaded.ok()) {
        printIssues(loaded.errors());
        return 1;
    }
    Configuration config = *loaded.config;
    std::vector<std::string> names;
    for (const auto &s : config.services)
        names.push_back(s.name);

    const QString scenarioPath = options.scenarioPath.isEmpty() ? QStringLiteral(":/scenarios/default.yaml")
                                                                 : options.scenarioPath;
    const auto scenarioText = readAll(scenarioPath);
    if (!scenarioText) {
        printError(QStringLiteral("breakerboard: cannot read the scenario %1").arg(scenarioPath));
        return 1;
    }
    const sim::ScenarioResult scenario = sim::parseScenario(*scenarioText, scenarioPath.toStdString(), names);
    if (printIssues(scenario.issues) || !scenario.scenario)
        return 1;

    ControlPlaneOptions controlOptions = options.control;
    controlOptions.configPath.clear();
    controlOptions.adminRequired = false;
    if (!applyPolicyOverlay(config, controlOptions))
        return 1;

    sim::DemoWorld world(config);
    QString error;
    if (!world.start(&error)) {
        printError(QStringLiteral("breakerboard: ") + error);
        return 1;
    }
    world.pointUpstreams(config);

    const auto stack = ProxyStack::start(config, controlOptions, options.proxy);
    if (!stack)
        return 1;
    const proxy::ProxyServer &server = stack->server();
    const Clock &clock = stack->engine().clock();
    print(QStringLiteral("Breakerboard demo: %1 simulated services behind the proxy on http://%2, %3 requests/s each; "
                         "scenario \"%4\" (%5 s). Ctrl-C stops.")
              .arg(config.services.size())
              .arg(server.address())
              .arg(options.callsPerSecond)
              .arg(QString::fromStdString(scenario.scenario->name))
              .arg(scenario.scenario->duration));

    QObject::connect(&world, &sim::DemoWorld::captioned, [&clock](const QString &caption) {
        print(QStringLiteral("%1  ▶ %2").arg(clockTime(clock.wallMs(clock.now())), caption));
    });
    world.startTraffic(options.proxy.address, server.port(), config, options.callsPerSecond);
    world.play(*scenario.scenario);

    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, qApp, [](int) {
        print(QStringLiteral("Stopping."));
        QCoreApplication::quit();
    });
    if (options.stopAfterSeconds > 0)
        QTimer::singleShot(int(options.stopAfterSeconds * 1000), qApp, &QCoreApplication::quit);
    const int code = QCoreApplication::exec();
    world.setPaused(true);
    return code;
}

} // namespace bb::app
