// breakerboard: the command line and the wiring of its modes.
#include "enginedemomode.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("breakerboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(BREAKERBOARD_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Breakerboard: circuit breakers for the services behind a local proxy, live.\n"
        "Without options it runs the engine demo: the seed services with synthetic traffic."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption rate(QStringLiteral("demo-rate"), QStringLiteral("Demo calls per second per service."),
                            QStringLiteral("N"), QStringLiteral("20"));
    QCommandLineOption duration(QStringLiteral("duration"), QStringLiteral("Stop after this many seconds."),
                                QStringLiteral("S"), QStringLiteral("0"));
    parser.addOption(rate);
    parser.addOption(duration);
    parser.process(app);

    bool rateOk = false;
    bool durationOk = false;
    bb::app::EngineDemoOptions options;
    options.callsPerSecond = parser.value(rate).toInt(&rateOk);
    options.stopAfterSeconds = parser.value(duration).toDouble(&durationOk);
    if (!rateOk || options.callsPerSecond < 1 || options.callsPerSecond > 100000) {
        std::fprintf(stderr, "breakerboard: --demo-rate must be a whole number from 1 to 100000, got '%s'\n",
                     qPrintable(parser.value(rate)));
        return 2;
    }
    if (!durationOk || options.stopAfterSeconds < 0) {
        std::fprintf(stderr, "breakerboard: --duration must be a number of seconds (0 runs until stopped), got '%s'\n",
                     qPrintable(parser.value(duration)));
        return 2;
    }

    const bool display = qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
    std::printf("%s\n", display ? "Running the engine demo in this terminal."
                                : "No display found: running headless, in this terminal.");
    return bb::app::runEngineDemo(options);
}
