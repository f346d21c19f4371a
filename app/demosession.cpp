#include "demosession.h"

#include "consoleoutput.h"

#include "config/configloader.h"

#include <QFile>

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

const QStringList kBuiltIn = {QStringLiteral(":/scenarios/default.yaml"), QStringLiteral(":/scenarios/payment-cascade.yaml"),
                              QStringLiteral(":/scenarios/slow-dependency.yaml")};

// The demo configuration and the scenarios; null after printing why not.
std::optional<DemoSetup> loadDemo(const DemoOptions &options)
{
    const std::string demoText = readAll(QStringLiteral(":/config/demo.yaml")).value_or("");
    const ConfigResult loaded = parseConfiguration(demoText, "demo.yaml");
    if (!loaded.ok()) {
        printIssues(loaded.errors());
        return std::nullopt;
    }
    DemoSetup setup;
    setup.config = *loaded.config;
    for (const auto &s : setup.config.services)
        setup.services.push_back(s.name);

    QStringList paths = kBuiltIn;
    if (!options.scenarioPath.isEmpty())
        paths.prepend(options.scenarioPath);
    for (const QString &path : paths) {
        const auto text = readAll(path);
        if (!text) {
            printError(QStringLiteral("breakerboard: cannot read the scenario %1").arg(path));
            return std::nullopt;
        }
        const sim::ScenarioResult scenario = sim::parseScenario(*text, path.toStdString(), setup.services);
        if (printIssues(scenario.issues) || !scenario.scenario)
            return std::nullopt;
        setup.scenarios.push_back(*scenario.scenario);
    }

    setup.control = options.control;
    setup.control.configPath.clear();
    setup.control.configName = "demo.yaml";
    setup.control.configText = demoText;
    setup.control.adminRequired = false;
    if (!applyPolicyOverlay(setup.config, setup.control))
        return std::nullopt;
    return setup;
}
} // namespace

std::unique_ptr<DemoSession> DemoSession::start(const DemoOptions &options)
{
    auto setup = loadDemo(options);
    if (!setup)
        return nullptr;
    std::unique_ptr<DemoSession> session(new DemoSession);
    DemoSession *s = session.get();
    s->m_setup = std::move(*setup);
    Configuration &config = s->m_setup.config;
    QString error;
    const bool listening = s->m_simulation.call([&] {
        s->m_world = std::make_unique<sim::DemoWorld>(config, s->m_clock);
        if (!s->m_world->start(&error))
            return false;
        s->m_world->pointUpstreams(config);
        return true;
    });
    if (!listening) {
        printError(QStringLiteral("breakerboard: ") + error);
        return nullptr;
    }
    s->m_stack = ProxyStack::start(config, s->m_setup.control, options.proxy);
    if (!s->m_stack)
        return nullptr;
    const quint16 port = s->m_stack->server().port();
    s->m_simulation.call([&] {
        s->m_world->startTraffic(options.proxy.address, port, config, options.callsPerSecond, options.proxy.tls.has_value());
    });
    return session;
}

void DemoSession::play()
{
    m_simulation.call([this] { m_world->play(m_setup.scenarios.front()); });
}

DemoSession::~DemoSession()
{
    m_simulation.call([this] {
        if (m_world)
            m_world->setPaused(true);
        m_world.reset();
    });
    m_stack.reset();
}

} // namespace bb::app
