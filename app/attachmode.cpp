#include "attachmode.h"

#include "consoleoutput.h"
#include "instanceoptions.h"
#include "signalwatcher.h"

#include "fleetwindow.h"

#include "ui/screenshottour.h"
#include "ui/theme.h"

#include <QApplication>
#include <QTimer>

namespace bb::app {

namespace {
const QString kHelp = QStringLiteral(
    "breakerboard --attach URL [--attach URL ...] [--token-file FILE] [--ca-file FILE]\n"
    "breakerboard --fleet FILE\n"
    "The dashboard over running instances' admin APIs (http:// or https://HOST:PORT):\n"
    "each service shows the fleet (the worst state, \"open on 2 of 3\", counts summed,\n"
    "latency from merged histograms) and expands to one row per instance; operator actions\n"
    "go to every instance that has the target, or to the instance selected.\n"
    "A token is never sent over plain http to an address off loopback: use https there.");

int usageError(const QString &message)
{
    printError(QStringLiteral("breakerboard: ") + message);
    return 1;
}
} // namespace

bool wantsAttach(const QStringList &arguments)
{
    for (const QString &a : arguments)
        if (a == QLatin1String("--attach") || a == QLatin1String("--fleet") || a.startsWith(QLatin1String("--attach=")) ||
            a.startsWith(QLatin1String("--fleet=")))
            return true;
    return false;
}

int runAttachedDashboard(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(kHelp);
    parser.addHelpOption();
    const InstanceOptions options;
    const QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Close after this many seconds."),
                                      QStringLiteral("S"), QStringLiteral("0"));
    QCommandLineOption screenshots(QStringLiteral("screenshots"), QStringLiteral("Write the tour's pictures here."),
                                   QStringLiteral("DIR"));
    screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({options.attach, options.fleet, options.tokenFile, options.caFile, duration, screenshots});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        print(parser.helpText().trimmed());
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("--attach and --fleet take no command; 'breakerboard status --attach URL' "
                                         "prints the fleet in a terminal"));
    bool ok = false;
    const double stopAfter = parser.value(duration).toDouble(&ok);
    if (!ok || stopAfter < 0)
        return usageError(QStringLiteral("--duration must be a number of seconds, got '%1'").arg(parser.value(duration)));
    const auto instances = instancesOf(parser, options);
    if (!instances)
        return 1;
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    if (!app)
        return usageError(QStringLiteral("--attach opens a window and there is no display; "
                                         "'breakerboard status --attach URL' prints the fleet in a terminal"));

    ui::Theme theme(*app);
    FleetWindow fleet(&theme);
    for (const remote::Instance &i : *instances)
        fleet.add(i);
    ui::MainWindow &window = fleet.window();
    QObject::connect(&window, &ui::MainWindow::firstPainted, &window, [&instances] {
        print(QStringLiteral("Dashboard open over %1 instance(s).").arg(instances->size()));
    });
    window.show();
    if (parser.isSet(screenshots))
        ui::takeScreenshots(window, parser.value(screenshots));

    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, app, [](int) { QCoreApplication::quit(); });
    if (stopAfter > 0)
        QTimer::singleShot(int(stopAfter * 1000), app, &QCoreApplication::quit);
    return QApplication::exec();
}

} // namespace bb::app
