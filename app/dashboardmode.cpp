#include "dashboardmode.h"

#include "consoleoutput.h"
#include "demosession.h"
#include "fleetwindow.h"
#include "replaywindows.h"
#include "signalwatcher.h"

#include "control/localdashboardcontrol.h"
#include "control/localdemocontrol.h"
#include "ui/dashboardlink.h"
#include "ui/mainwindow.h"
#include "ui/replaybar.h"
#include "ui/screenshottour.h"
#include "ui/theme.h"

#include <QApplication>
#include <QTimer>

namespace bb::app {

namespace {
// Until the last window closes, a stop signal or stopAfterSeconds.
int runUntilStopped(QApplication &app, double stopAfterSeconds)
{
    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, &app, [](int) {
        print(QStringLiteral("Stopping."));
        QCoreApplication::quit();
    });
    if (stopAfterSeconds > 0)
        QTimer::singleShot(int(stopAfterSeconds * 1000), &app, &QCoreApplication::quit);
    return QApplication::exec();
}

int runWindow(ProxyStack &stack, const ConfigText &config, DemoSession *demo, double stopAfterSeconds,
              const QString &screenshots)
{
    auto &app = *qobject_cast<QApplication *>(QCoreApplication::instance());
    ui::Theme theme(app);
    control::LocalDashboardControl control(stack.control());
    std::optional<control::LocalDemoControl> demoControl;
    if (demo)
        demoControl.emplace(demo->world(), demo->setup().scenarios, demo->setup().services);
    ui::DashboardLink link(control, demoControl ? &*demoControl : nullptr);
    link.setAddresses(stack.server().url(), stack.adminUrl());
    ui::MainWindow window(link, &theme);
    ReplayWindows replays(&theme, config);
    replays.serve(window);
    // File → Attach from this window opens a window over the fleet attached to.
    std::vector<std::unique_ptr<FleetWindow>> fleets;
    QObject::connect(&window, &ui::MainWindow::attachRequested, &window,
                     [&fleets, &theme, &window](const QString &url, const QString &token, const QString &ca) {
                         auto fleet = std::make_unique<FleetWindow>(&theme);
                         if (const QString error = fleet->attach(url, token, ca); !error.isEmpty())
                             return window.attachFailed(error);
                         fleet->window().show();
                         fleets.push_back(std::move(fleet));
                     });
    QObject::connect(&window, &ui::MainWindow::firstPainted, &window,
                     [] { print(QStringLiteral("Dashboard open.")); });
    window.show();
    if (demoControl)
        demoControl->play(QString::fromStdString(demo->setup().scenarios.front().name));
    if (!screenshots.isEmpty())
        ui::takeScreenshots(window, screenshots);
    return runUntilStopped(app, stopAfterSeconds);
}
} // namespace

int runDemoDashboard(const DemoOptions &options)
{
    const auto session = DemoSession::start(options);
    if (!session)
        return 1;
    print(QStringLiteral("Breakerboard demo: the dashboard over %1 simulated services behind the proxy on %2.")
              .arg(session->setup().services.size())
              .arg(session->stack().server().url()));
    const ConfigText config{session->setup().control.configName, session->setup().control.configText};
    return runWindow(session->stack(), config, session.get(), options.stopAfterSeconds, options.screenshotDir);
}

int runConfiguredDashboard(const HeadlessOptions &options, double stopAfterSeconds)
{
    Configuration config;
    auto stack = startConfigured(options, config);
    if (!stack)
        return 1;
    print(QStringLiteral("Breakerboard: the dashboard over the proxy on %1, %2 services.")
              .arg(stack->server().url())
              .arg(config.services.size()));
    return runWindow(*stack, readConfigText(options.configPath), nullptr, stopAfterSeconds, {});
}

int runReplayDashboard(const ReplayDashboardOptions &options)
{
    auto &app = *qobject_cast<QApplication *>(QCoreApplication::instance());
    ui::Theme theme(app);
    ReplayWindows replays(&theme, readConfigText(options.configPath));
    QObject::connect(&replays, &ReplayWindows::opened, &app, [&replays, &options](ui::MainWindow *window) {
        print(QStringLiteral("Replay open: %1").arg(window->windowTitle()));
        window->findChild<ui::ReplayBar *>()->control().setSpeed(options.speed);
        const auto compare = [&replays, &options, window] { replays.compare(*window, options.whatIf); };
        if (!options.screenshotDir.isEmpty())
            ui::takeReplayScreenshots(*window, *window->findChild<ui::ReplayBar *>(), options.screenshotDir, compare);
        else if (!options.whatIf.isEmpty())
            compare();
    });
    // Nothing to show: the reasons were printed.
    QObject::connect(&replays, &ReplayWindows::failed, &app, [&replays] {
        if (replays.windows().empty())
            QCoreApplication::exit(1);
    });
    replays.open(options.recording, options.configPath);
    return runUntilStopped(app, options.stopAfterSeconds);
}

} // namespace bb::app
