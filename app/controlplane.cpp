#include "controlplane.h"

#include "clusterstart.h"
#include "consoleoutput.h"

#include "persist/statedirectory.h"
#include "telemetry/metricscollector.h"
#include "control/admintoken.h"

#include <QDir>

namespace bb::app {

namespace {
void printReload(const control::ReloadResult &r, const QString &path)
{
    for (const auto &issue : r.issues)
        printError(QString::fromStdString(issue.toString()));
    if (!r.applied) {
        printError(QStringLiteral("%1 changed but has errors: nothing of it was applied").arg(path));
        return;
    }
    QStringList changed;
    for (const auto &c : r.changed)
        changed << QString::fromStdString(c);
    print(QStringLiteral("%1 reloaded: %2").arg(path, changed.isEmpty() ? QStringLiteral("no policy changed")
                                                                         : QStringLiteral("new policy for ") + changed.join(", ")));
    for (const auto &n : r.needRestart)
        print(QStringLiteral("  takes effect at the next start: %1").arg(QString::fromStdString(n)));
}
} // namespace

QString stateDirectoryOf(const ControlPlaneOptions &options)
{
    const QString base = options.stateDir.isEmpty() ? persist::defaultStateDirectory() : options.stateDir;
    // The demo keeps its own state: a trainer's edits never land on a real proxy's.
    return options.configPath.isEmpty() ? QDir(base).filePath(QStringLiteral("demo")) : base;
}

QString overlayPathOf(const ControlPlaneOptions &options)
{
    if (!options.overlayPath.isEmpty())
        return options.overlayPath;
    return options.configPath.isEmpty() ? QDir(stateDirectoryOf(options)).filePath(QStringLiteral("demo.overlay.yaml"))
                                        : persist::PolicyOverlay::pathFor(options.configPath);
}

bool applyPolicyOverlay(Configuration &config, const ControlPlaneOptions &options)
{
    const QString path = overlayPathOf(options);
    persist::PolicyOverlay overlay;
    std::vector<ConfigIssue> issues = overlay.load(path);
    if (issues.empty())
        issues = overlay.applyTo(config, path);
    for (const auto &issue : issues)
        printError(QString::fromStdString(issue.toString()));
    if (!issues.empty())
        printError(QStringLiteral("breakerboard: the policy overlay %1 has errors; fix or remove it").arg(path));
    return issues.empty();
}

std::unique_ptr<ControlPlane> ControlPlane::start(Engine &engine, const Configuration &config,
                                                  std::shared_ptr<const proxy::RouteTable> routes,
                                                  const ControlPlaneOptions &options)
{
    const QString stateDir = stateDirectoryOf(options);
    QString error;
    if (!persist::prepareStateDirectory(stateDir, &error)) {
        printError(QStringLiteral("breakerboard: ") + error);
        return nullptr;
    }
    const bool loopback = options.adminAddress.isLoopback();
    if (!loopback && options.tokenFile.isEmpty()) {
        printError(QStringLiteral("breakerboard: the admin API on %1 is off loopback: give --admin-token-file")
                       .arg(options.adminAddress.toString()));
        return nullptr;
    }
    const control::AdminToken token = control::loadAdminToken(options.tokenFile, stateDir);
    if (!token.error.isEmpty()) {
        printError(QStringLiteral("breakerboard: ") + token.error);
        return nullptr;
    }

    std::unique_ptr<ControlPlane> plane(new ControlPlane);
    plane->m_control = std::make_unique<control::ControlService>(engine, config);
    control::ControlService &control = *plane->m_control;
    QObject::connect(&control, &control::ControlService::transitioned,
                     [](const TransitionEvent &e) { printEvents({e}); });
    QObject::connect(&control, &control::ControlService::audited, [](const persist::AuditEntry &e) {
        if (e.action == "reload" || e.action == "reload_refused")
            return; // the watcher prints these with their details
        print(QStringLiteral("%1  %2 by %3 (%4): %5%6")
                  .arg(clockTime(e.wallMs), QString::fromStdString(e.action + " " + e.target),
                       QString::fromStdString(e.actor), QString::fromStdString(e.origin),
                       QString::fromStdString(e.reason.empty() ? e.detail : e.reason),
                       e.expiresInS ? QStringLiteral(", expires in %1 s").arg(*e.expiresInS) : QString()));
    });

    const QDir dir(stateDir);
    const QStringList notes = control.persistTo({dir.filePath(QStringLiteral("forced-states.json")),
                                                dir.filePath(QStringLiteral("audit.jsonl")), overlayPathOf(options)});
    print(QStringLiteral("State directory: %1").arg(stateDir));
    for (const QString &note : notes)
        print(QStringLiteral("  ") + note);

    if (options.shared) {
        // Before the admin API and the proxy: what the cluster decided holds from the first request.
        plane->m_cluster = joinCluster(control, *options.shared, routes, engine.clock());
        if (!plane->m_cluster)
            return nullptr;
    }
    control.observeTraffic(routes);
    auto metrics = std::make_shared<telemetry::MetricsCollector>(engine, std::move(routes));
    if (cluster::ClusterLink *link = plane->m_cluster.get())
        metrics->setSharedStateConnected(
            [link] { return link->sharedState().link == control::SharedStateStatus::Link::Connected; });
    control::AdminRouter router(control, {token.token, !loopback}, [metrics] { return metrics->scrape(); });
    plane->m_adminTls = options.adminTls.has_value();
    plane->m_admin = std::make_unique<control::AdminServer>(control, std::move(router), options.adminTls);
    if (!plane->m_admin->listen(options.adminAddress, options.adminPort, &error)) {
        printError(QStringLiteral("breakerboard: cannot listen for the admin API on %1").arg(error));
        if (options.adminRequired)
            return nullptr;
        plane->m_admin.reset();
    } else {
        print(QStringLiteral("Admin API and /metrics on %1; token in %2%3")
                  .arg(plane->adminUrl(), token.path,
                       token.generated ? QStringLiteral(" (new, mode 0600)") : QString()));
    }

    if (!options.configPath.isEmpty()) {
        plane->m_watcher = std::make_unique<control::ConfigWatcher>(control, options.configPath);
        const QString path = options.configPath;
        QObject::connect(plane->m_watcher.get(), &control::ConfigWatcher::reloaded,
                         [path](const control::ReloadResult &r) { printReload(r, path); });
    }
    return plane;
}

void ControlPlane::renameInstance(const std::string &name)
{
    if (!m_cluster)
        return;
    m_cluster->setInstance(name);
    print(QStringLiteral("Shared state: this instance is %1 in the cluster").arg(QString::fromStdString(name)));
}

QString ControlPlane::adminUrl() const
{
    if (!m_admin)
        return {};
    return (m_adminTls ? QStringLiteral("https://") : QStringLiteral("http://")) + m_admin->address();
}

} // namespace bb::app
