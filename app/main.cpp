// breakerboard: the command line and the wiring of its modes.
#include "attachmode.h"
#include "checkconfigmode.h"
#include "consoleoutput.h"
#include "dashboardmode.h"
#include "demomode.h"
#include "fleetcli.h"
#include "headlessmode.h"
#include "importmode.h"
#include "replaymode.h"
#include "stringfunctions.h"

#include "control/servertls.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QIcon>

#include <malloc.h>
#include <optional>

namespace {
// "127.0.0.1:8080", "[::1]:8080" or ":8080" (loopback).
std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString &text)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return std::nullopt;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    QHostAddress address = host.isEmpty() ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    if (host == QLatin1String("localhost"))
        address = QHostAddress(QHostAddress::LocalHost);
    if (address.isNull())
        return std::nullopt;
    return std::make_pair(address, quint16(port));
}

// The first argument that is not an option, or nothing: the command.
QByteArray commandOf(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (argv[i][0] != '-')
            return QByteArray(argv[i]);
        // Options with a value take the next argument.
        const QByteArray arg(argv[i]);
        if (!arg.contains('=') && (arg.startsWith("--") || arg.size() == 2) && i + 1 < argc && argv[i + 1][0] != '-' &&
            arg != "--headless" && arg != "--demo" && arg != "--help" && arg != "--version" && arg != "-h" && arg != "-v")
            ++i;
    }
    return {};
}

// A window is wanted unless --headless or a command is asked for, and
// possible when there is a display (or a Qt platform is named).
bool wantsWindow(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--headless" || arg == "-headless" || arg == "--help" || arg == "-h" ||
            arg == "--version" || arg == "-v")
            return false;
    }
    if (!commandOf(argc, argv).isEmpty())
        return false;
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

// --speed: "max" (0) or times real time above 0; nullopt when neither.
std::optional<double> parseSpeed(const QString &text)
{
    if (text == QLatin1String("max"))
        return 0.0;
    bool ok = false;
    const double speed = text.toDouble(&ok);
    if (!ok || !(speed > 0) || speed > 1e6)
        return std::nullopt;
    return speed;
}

// --PREFIX-tls-cert and --PREFIX-tls-key: a listener's certificate and key.
struct TlsOptions {
    QCommandLineOption cert;
    QCommandLineOption key;
};

TlsOptions tlsOptions(const QString &prefix, const QString &serve)
{
    const QString cert = prefix + QStringLiteral("-tls-cert");
    return {QCommandLineOption(cert,
                               serve + QStringLiteral(" over TLS (1.2 or newer) with this PEM certificate (chain); "
                                                      "needs --%1-tls-key.")
                                           .arg(prefix),
                               QStringLiteral("FILE")),
            QCommandLineOption(prefix + QStringLiteral("-tls-key"),
                               QStringLiteral("The PEM private key (RSA or EC, without a passphrase) of --%1.").arg(cert),
                               QStringLiteral("FILE"))};
}

int usageError(const QString &message)
{
    bb::app::printError(QStringLiteral("breakerboard: ") + message);
    return 2;
}
} // namespace

int main(int argc, char *argv[])
{
    bb::app::restartWithoutAvx512StringFunctions(argv);
    // Qt's own poll loop instead of GLib's: a proxied request then costs two
    // reads and two writes on its worker instead of four and six (GLib wakes
    // its loop through an eventfd on every posted event and notifier change).
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    // Socket buffers come and go with every request; without this glibc gives
    // the freed pages back (madvise) and asks for them again, request after request.
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    Q_INIT_RESOURCE(breakerboard); // the demo configuration and scenarios, in the bb_app library
    const bool window = wantsWindow(argc, argv);
    // A plot is drawn with Qt Charts, which needs widgets but no screen.
    bool plotting = false;
    for (int i = 1; i < argc; ++i)
        plotting = plotting || QByteArray(argv[i]).startsWith("--plot");
    plotting = plotting && commandOf(argc, argv) == "replay";
    if (plotting && !window && !qEnvironmentVariableIsSet("DISPLAY") && !qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QCoreApplication> application = window || plotting
                                                        ? std::make_unique<QApplication>(argc, argv)
                                                        : std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication &app = *application;
    QCoreApplication::setApplicationName(QStringLiteral("breakerboard"));
    // --version: "breakerboard 0.1.0 (Qt 6.4.2)", the Qt it runs on.
    QCoreApplication::setApplicationVersion(QStringLiteral(BREAKERBOARD_VERSION " (Qt %1)").arg(QLatin1String(qVersion())));
    if (window)
        QApplication::setWindowIcon(QIcon(QStringLiteral(":/package/icons/256x256/breakerboard.png")));

    if (const QByteArray command = commandOf(argc, argv); command == "status" || command == "set")
        return bb::app::runFleetCommand(QString::fromLatin1(command), app.arguments());
    if (bb::app::wantsAttach(app.arguments()))
        return bb::app::runAttachedDashboard(app.arguments());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Breakerboard: circuit breakers for the services behind a local proxy, live.\n"
        "With --config it runs the proxy in front of the configured services;\n"
        "without, the demo: simulated services behind the real proxy, with a scenario.\n"
        "The dashboard opens when there is a display, unless --headless is given.\n"
        "\n"
        "Commands:\n"
        "  check-config FILE    check a configuration file and exit\n"
        "  replay RECORDING     replay recorded traffic on a virtual clock: --config FILE\n"
        "                       [--what-if FILE ...] [--speed N|max] [--format text|json]\n"
        "                       [--plot FILE.png [--plot-size WxH] [--plot-service NAME]]\n"
        "  import --from nginx|har|envoy INPUT -o RECORDING [--config FILE]\n"
        "                       turn another tool's log into a recording\n"
        "  status --attach URL ... [--fleet FILE]\n"
        "                       the breakers of running instances, merged (status --help)\n"
        "  set STATE TARGET --reason TEXT --attach URL ... --token-file FILE\n"
        "                       change a breaker or group on every instance (set --help)\n"
        "\n"
        "The dashboard over running instances instead of its own proxy:\n"
        "  --attach URL [--attach URL ...] [--token-file FILE] [--ca-file FILE], or --fleet FILE\n"
        "                       (--attach URL --help)"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption headless(QStringLiteral("headless"), QStringLiteral("Run without a window."));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("Configuration file (YAML)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption listen(QStringLiteral("proxy-listen"),
                                    QStringLiteral("Proxy address and port (default 127.0.0.1:8080)."),
                                    QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:8080"));
    const QCommandLineOption workers(QStringLiteral("workers"),
                                     QStringLiteral("Proxy worker threads (default: one per core)."),
                                     QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption rate(QStringLiteral("demo-rate"), QStringLiteral("Demo calls per second per service."),
                                  QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption duration(QStringLiteral("duration"),
                                      QStringLiteral("Stop the demo after this many seconds."), QStringLiteral("S"),
                                      QStringLiteral("0"));
    const QCommandLineOption adminListen(QStringLiteral("admin-listen"),
                                         QStringLiteral("Admin API and /metrics address (default 127.0.0.1:9901)."),
                                         QStringLiteral("ADDR:PORT"), QStringLiteral("127.0.0.1:9901"));
    const QCommandLineOption tokenFile(QStringLiteral("admin-token-file"),
                                       QStringLiteral("File holding the admin API's bearer token (default: generated "
                                                      "into the state directory)."),
                                       QStringLiteral("FILE"));
    const TlsOptions adminTls = tlsOptions(QStringLiteral("admin"), QStringLiteral("Serve the admin API"));
    const TlsOptions proxyTls = tlsOptions(QStringLiteral("proxy"), QStringLiteral("Let clients speak HTTP/1.1 to the proxy"));
    const QCommandLineOption stateDir(QStringLiteral("state-dir"),
                                      QStringLiteral("Where forced states, the audit log and the admin token are kept "
                                                     "(default: the platform's app-data location)."),
                                      QStringLiteral("DIR"));
    const QCommandLineOption overlay(QStringLiteral("policy-overlay"),
                                     QStringLiteral("Where live policy edits are kept (default: CONFIG's name with "
                                                    ".overlay.yaml, beside it)."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Simulated services behind the real proxy, with traffic and a scenario."));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
                                      QStringLiteral("The demo's scenario file (default: the built-in three-minute one)."),
                                      QStringLiteral("FILE"));
    QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                   QStringLiteral("Save the dashboard's README pictures into DIR, then quit."),
                                   QStringLiteral("DIR"));
    screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshots);
    parser.addOptions({headless, config, listen, workers, rate, duration, adminListen, tokenFile, adminTls.cert, adminTls.key,
                       proxyTls.cert, proxyTls.key, stateDir, overlay, demo, scenario});
    const QCommandLineOption whatIf(QStringLiteral("what-if"),
                                    QStringLiteral("replay: another configuration to run the same traffic through "
                                                   "(repeatable)."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption speed(QStringLiteral("speed"),
                                   QStringLiteral("replay: times real time, or max (default max)."),
                                   QStringLiteral("N|max"), QStringLiteral("max"));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("replay: text or json (default text)."),
                                    QStringLiteral("text|json"), QStringLiteral("text"));
    const QCommandLineOption plot(QStringLiteral("plot"),
                                  QStringLiteral("replay: draw the what-if (failure rate, thresholds, states, trip "
                                                 "points) into a PNG file."),
                                  QStringLiteral("FILE.png"));
    const QCommandLineOption plotSize(QStringLiteral("plot-size"),
                                      QStringLiteral("replay: the picture's size (default 1200x700)."),
                                      QStringLiteral("WxH"), QStringLiteral("1200x700"));
    const QCommandLineOption plotService(QStringLiteral("plot-service"),
                                         QStringLiteral("replay: the service to plot (default: the first to open)."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption from(QStringLiteral("from"), QStringLiteral("import: nginx, har or envoy."),
                                  QStringLiteral("FORMAT"));
    const QCommandLineOption output(QStringList{QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("import: the recording to write."), QStringLiteral("RECORDING"));
    const QCommandLineOption record(QStringLiteral("record"),
                                    QStringLiteral("Record every proxied request to FILE (JSON Lines) from the start."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption replayWindow(QStringLiteral("replay"),
                                          QStringLiteral("Open the dashboard over a replay of RECORDING, with its "
                                                         "timeline, speeds and what-if view (--config: another "
                                                         "configuration than the recording's own)."),
                                          QStringLiteral("RECORDING"));
    const QCommandLineOption redis(QStringLiteral("redis"),
                                   QStringLiteral("Share breaker state through this Redis (redis://[:password@]HOST:PORT[/DB]); "
                                                  "over the configuration's shared_state.redis."),
                                   QStringLiteral("URL"));
    const QCommandLineOption instance(QStringLiteral("instance"),
                                      QStringLiteral("This instance's name in the shared state (default HOST:PROXY-PORT)."),
                                      QStringLiteral("NAME"));
    parser.addOptions({redis, instance});
    parser.addOptions({record, whatIf, speed, format, plot, plotSize, plotService, from, output, replayWindow});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("check-config, replay, import, status or set."),
                                 QStringLiteral("[command ARGS]"));
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    if (!positional.isEmpty()) {
        const QString &command = positional.first();
        if (command == QLatin1String("check-config")) {
            if (positional.size() != 2)
                return usageError(QStringLiteral("usage: breakerboard check-config FILE"));
            return bb::app::runCheckConfig(positional.at(1));
        }
        if (command == QLatin1String("replay")) {
            if (positional.size() != 2)
                return usageError(QStringLiteral("usage: breakerboard replay RECORDING --config FILE [--what-if FILE ...]"));
            bb::app::ReplayCommand replay;
            replay.recording = positional.at(1);
            replay.config = parser.value(config);
            replay.whatIf = parser.values(whatIf);
            const auto replaySpeed = parseSpeed(parser.value(speed));
            if (!replaySpeed)
                return usageError(QStringLiteral("--speed must be max or a number above 0 (times real time), got '%1'")
                                      .arg(parser.value(speed)));
            replay.speed = *replaySpeed;
            const QString formatText = parser.value(format);
            if (formatText != QLatin1String("text") && formatText != QLatin1String("json"))
                return usageError(QStringLiteral("--format must be text or json, got '%1'").arg(formatText));
            replay.json = formatText == QLatin1String("json");
            replay.plotPath = parser.value(plot);
            const QStringList size = parser.value(plotSize).split(QLatin1Char('x'));
            const int w = size.size() == 2 ? size[0].toInt() : 0;
            const int h = size.size() == 2 ? size[1].toInt() : 0;
            if (w < 200 || h < 150 || w > 8000 || h > 8000)
                return usageError(QStringLiteral("--plot-size must be WIDTHxHEIGHT from 200x150 to 8000x8000, got '%1'")
                                      .arg(parser.value(plotSize)));
            replay.plotSize = QSize(w, h);
            replay.plotService = parser.value(plotService);
            return bb::app::runReplay(replay);
        }
        if (command == QLatin1String("import")) {
            if (positional.size() != 2)
                return usageError(
                    QStringLiteral("usage: breakerboard import --from nginx|har|envoy INPUT -o RECORDING [--config FILE]"));
            return bb::app::runImport(parser.value(from), positional.at(1), parser.value(output), parser.value(config));
        }
        return usageError(QStringLiteral("unknown command '%1' (see --help)").arg(command));
    }

    bool durationOk = false;
    const double stopAfter = parser.value(duration).toDouble(&durationOk);
    if (!durationOk || stopAfter < 0)
        return usageError(QStringLiteral("--duration must be a number of seconds (0 runs until stopped), got '%1'")
                              .arg(parser.value(duration)));
    if (parser.isSet(replayWindow)) {
        if (!window)
            return usageError(QStringLiteral("--replay opens a window and there is no display; "
                                             "'breakerboard replay RECORDING' replays in a terminal"));
        // The window's speed: 1× unless asked (1 to 1000, or max).
        const auto windowSpeed = parser.isSet(speed) ? parseSpeed(parser.value(speed)) : std::optional(1.0);
        if (!windowSpeed || *windowSpeed > 1000 || (*windowSpeed > 0 && *windowSpeed < 1))
            return usageError(QStringLiteral("--speed with --replay must be max or from 1 to 1000, got '%1'")
                                  .arg(parser.value(speed)));
        return bb::app::runReplayDashboard({parser.value(replayWindow), parser.value(config), parser.values(whatIf),
                                            *windowSpeed, stopAfter, parser.value(screenshots)});
    }

    bb::app::ControlPlaneOptions control;
    control.stateDir = parser.value(stateDir);
    control.tokenFile = parser.value(tokenFile);
    control.recordPath = parser.value(record);
    control.overlayPath = parser.value(overlay);
    const auto admin = parseListen(parser.value(adminListen));
    if (!admin)
        return usageError(QStringLiteral("--admin-listen must be ADDR:PORT such as 127.0.0.1:9901, got '%1'")
                              .arg(parser.value(adminListen)));
    control.adminAddress = admin->first;
    control.adminPort = admin->second;
    // Checked before anything starts: a wrong file stops here, not at the first handshake.
    const bb::control::ServerTls adminTlsFiles =
        bb::control::loadServerTls(parser.value(adminTls.cert), parser.value(adminTls.key));
    if (!adminTlsFiles.error.isEmpty()) {
        bb::app::printError(QStringLiteral("breakerboard: ") + adminTlsFiles.error);
        return 1;
    }
    control.adminTls = adminTlsFiles.configuration;
    const bb::control::ServerTls proxyTlsFiles =
        bb::control::loadServerTls(parser.value(proxyTls.cert), parser.value(proxyTls.key), bb::control::TlsListener::Proxy);
    if (!proxyTlsFiles.error.isEmpty()) {
        bb::app::printError(QStringLiteral("breakerboard: --proxy-tls: ") + proxyTlsFiles.error);
        return 1;
    }

    const auto address = parseListen(parser.value(listen));
    if (!address)
        return usageError(QStringLiteral("--proxy-listen must be ADDR:PORT such as 127.0.0.1:8080, got '%1'")
                              .arg(parser.value(listen)));
    bool ok = false;
    const int workerCount = parser.value(workers).toInt(&ok);
    if (!ok || workerCount < 0 || workerCount > 256)
        return usageError(
            QStringLiteral("--workers must be a whole number from 0 to 256, got '%1'").arg(parser.value(workers)));
    bb::SharedStateFlags sharedFlags;
    if (parser.isSet(redis))
        sharedFlags.redis = parser.value(redis).toStdString();
    if (parser.isSet(instance))
        sharedFlags.instance = parser.value(instance).toStdString();
    if (const std::string why = bb::checkSharedStateFlags(sharedFlags); !why.empty()) {
        bb::app::printError(QStringLiteral("breakerboard: ") + QString::fromStdString(why));
        return 1;
    }
    if (parser.isSet(config)) {
        bb::app::HeadlessOptions options;
        options.shared = sharedFlags;
        options.control = control;
        options.configPath = parser.value(config);
        options.proxy.address = address->first;
        options.proxy.port = address->second;
        options.proxy.workers = workerCount;
        options.proxy.tls = proxyTlsFiles.configuration;
        options.proxy.tlsCertFile = parser.value(proxyTls.cert);
        options.proxy.tlsKeyFile = parser.value(proxyTls.key);
        if (window)
            return bb::app::runConfiguredDashboard(options, 0);
        return bb::app::runHeadless(options);
    }

    if (sharedFlags.redis || sharedFlags.instance)
        return usageError(QStringLiteral("--redis and --instance need --config"));
    bool rateOk = false;
    const int callsPerSecond = parser.value(rate).toInt(&rateOk);
    if (!rateOk || callsPerSecond < 1 || callsPerSecond > 100000)
        return usageError(
            QStringLiteral("--demo-rate must be a whole number from 1 to 100000, got '%1'").arg(parser.value(rate)));
    bb::app::DemoOptions options;
    options.control = control;
    options.proxy.address = address->first;
    options.proxy.port = address->second;
    options.proxy.workers = workerCount;
    options.proxy.tls = proxyTlsFiles.configuration;
    options.proxy.tlsCertFile = parser.value(proxyTls.cert);
    options.proxy.tlsKeyFile = parser.value(proxyTls.key);
    options.callsPerSecond = callsPerSecond;
    options.stopAfterSeconds = stopAfter;
    options.scenarioPath = parser.value(scenario);
    options.screenshotDir = parser.value(screenshots);
    if (window)
        return bb::app::runDemoDashboard(options);
    if (!parser.isSet(demo) && !parser.isSet(scenario) && !parser.isSet(headless))
        bb::app::print(QStringLiteral("No display found: running the demo in this terminal."));
    return bb::app::runDemo(options);
}
