#include "demomode.h"

#include "consoleoutput.h"
#include "demosession.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QTimer>

namespace bb::app {

int runDemo(const DemoOptions &options)
{
    const auto session = DemoSession::start(options);
    if (!session)
        return 1;
    const proxy::ProxyServer &server = session->stack().server();
    const sim::Scenario &scenario = session->setup().scenarios.front();
    print(QStringLiteral("Breakerboard demo: %1 simulated services behind the proxy on %2, %3 requests/s each; "
                         "scenario \"%4\" (%5 s). Ctrl-C stops.")
              .arg(session->setup().services.size())
              .arg(server.url())
              .arg(options.callsPerSecond)
              .arg(QString::fromStdString(scenario.name))
              .arg(scenario.duration));

    const Clock &clock = session->stack().engine().clock();
    QObject::connect(&session->world(), &sim::DemoWorld::captioned, qApp, [&clock](const QString &caption) {
        print(QStringLiteral("%1  ▶ %2").arg(clockTime(clock.wallMs(clock.now())), caption));
    });

    session->play();

    SignalWatcher stopSignals;
    QObject::connect(&stopSignals, &SignalWatcher::stopRequested, qApp, [](int) {
        print(QStringLiteral("Stopping."));
        QCoreApplication::quit();
    });
    if (options.stopAfterSeconds > 0)
        QTimer::singleShot(int(options.stopAfterSeconds * 1000), qApp, &QCoreApplication::quit);
    return QCoreApplication::exec();
}

} // namespace bb::app
