#include "dashboardmode.h"

#include "consoleoutput.h"
#include "demosession.h"
#include "signalwatcher.h"

#include "ui/dashboardlink.h"
#include "ui/mainwindow.h"
#include "ui/screenshottour.h"
#include "ui/theme.h"

#include <QApplication>
#include <QTimer>

namespace bb::app {

namespace {
int runWindow(ProxyStack &stack, std::optional<ui::DemoInfo> demo, sim::DemoWorld *world, double stopAfterSeconds,
              const QString &screenshots, const std::function<void()> &afterShow)
{
    auto &app = *qobject_cast<QApplication *>(QCoreApplication::instance());
    ui::Theme theme(app);
    ui::DashboardLink link(stack.control());
    link.setAddresses(stack.server().address(), stack.adminAddress());
    link.setDemo(world);
    ui::MainWindow window(link, &theme, std::move(demo));
    QObject::connect(&window, &ui::MainWindow::firstPainted, &window,
                     [] { print(QStringLiteral("Dashboard open.")); });
    window.show();
    if (afterShow)
        afterShow();
    if (!screenshots.isEmpty())
        ui::takeScreenshots(window, screenshots);

    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, &app, [](int) {
        print(QStringLiteral("Stopping."));
        QCoreApplication::quit();
    });
    if (stopAfterSeconds > 0)
        QTimer::singleShot(int(stopAfterSeconds * 1000), &app, &QCoreApplication::quit);
    return QApplication::exec();
}
} // namespace

int runDemoDashboard(const DemoOptions &options)
{
    const auto session = DemoSession::start(options);
    if (!session)
        return 1;
    print(QStringLiteral("Breakerboard demo: the dashboard over %1 simulated services behind the proxy on http://%2.")
              .arg(session->setup().services.size())
              .arg(session->stack().server().address()));
    ui::DemoInfo info{session->setup().scenarios, session->setup().services};
    return runWindow(session->stack(), std::move(info), &session->world(), options.stopAfterSeconds,
                     options.screenshotDir, [&session] { session->play(); });
}

int runConfiguredDashboard(const HeadlessOptions &options, double stopAfterSeconds)
{
    Configuration config;
    auto stack = startConfigured(options, config);
    if (!stack)
        return 1;
    print(QStringLiteral("Breakerboard: the dashboard over the proxy on http://%1, %2 services.")
              .arg(stack->server().address())
              .arg(config.services.size()));
    return runWindow(*stack, std::nullopt, nullptr, stopAfterSeconds, {}, {});
}

} // namespace bb::app
