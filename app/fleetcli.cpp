#include "fleetcli.h"

#include "consoleoutput.h"
#include "fleetcommands.h"
#include "instanceoptions.h"

#include <QCommandLineParser>
#include <QSet>
#include <QSysInfo>

namespace bb::app {

namespace {
const QString kStatusHelp = QStringLiteral(
    "breakerboard status --attach URL ... [--fleet FILE]: the breakers of running instances, "
    "merged.\n"
    "Every instance's admin API is asked who it is (GET /api/v1/instance) and for its breakers,\n"
    "all instances at once, each request within 5 s. For each breaker:\n"
    "  STATE     the worst across the instances: forced_open, open, half_open, disabled,\n"
    "            forced_closed, closed (a state that turns calls away is worse)\n"
    "  OPEN ON   on how many of the instances that have it it is open or forced open\n"
    "  REQUESTS  summed over the instances: each breaker's successes + failures (timeouts\n"
    "            among them) + ignored + rejected, the calls it counted since the start\n"
    "--format json prints {\"instances\": [{\"name\", \"url\", \"connected\", \"error\"}],\n"
    "\"breakers\": [{\"name\", \"state\", \"states\": {INSTANCE: STATE}, \"instances_open\", "
    "\"requests_total\"}]}.\n"
    "Exit status: 0 when every instance answered; 2 when one did not (the others are still\n"
    "printed); 1 for bad arguments.");
const QString kSetHelp = QStringLiteral(
    "breakerboard set STATE TARGET --reason TEXT --attach URL ... [--fleet FILE] --token-file "
    "FILE:\n"
    "change a breaker or a group on every instance at once.\n"
    "  STATE   forced_open, forced_closed, disabled, half_open, or closed (a reset)\n"
    "  TARGET  a breaker's name, or group/NAME for a group\n"
    "Sends POST /api/v1/breakers/NAME/state (or /api/v1/groups/NAME/state) to every instance\n"
    "and prints what each made of it: ok, not found there, refused (with the reasons),\n"
    "unreachable, ... The admin token is needed (--token-file, or token_file in the fleet\n"
    "file); it is never sent over plain http to an address off loopback.\n"
    "Exit status: 0 when every instance made the change; 2 when one did not; 1 for bad arguments.");
const QStringList kStates{"forced_open", "forced_closed", "disabled", "half_open", "closed"};
constexpr int kMaxExpirySeconds = 30 * 24 * 3600;
constexpr int kMaxReason = 2000;

int usageError(const QString &message) {
    printError(QStringLiteral("breakerboard: ") + message);
    return 1;
}

QString defaultActor() {
    const QString user =
        qEnvironmentVariable("USER", qEnvironmentVariable("LOGNAME", QStringLiteral("someone")));
    return user + QLatin1Char('@') + qEnvironmentVariable("HOSTNAME", QSysInfo::machineHostName());
}

// STATE TARGET and the set options as the body of POST .../state; nullopt after saying why not.
std::optional<StateChange> stateChangeOf(const QCommandLineParser &parser,
                                         const QStringList &positional,
                                         const QCommandLineOption &reason,
                                         const QCommandLineOption &expiresIn,
                                         const QCommandLineOption &actor) {
    const auto fail = [](const QString &message) {
        usageError(message);
        return std::nullopt;
    };
    if (positional.size() != 3)
        return fail(QStringLiteral("usage: breakerboard set STATE TARGET --reason TEXT --attach "
                                   "URL ... (see set --help)"));
    const QString &state = positional[1];
    if (!kStates.contains(state))
        return fail(QStringLiteral("unknown state '%1'; one of %2")
                        .arg(state, kStates.join(QStringLiteral(", "))));
    StateChange change;
    change.group = positional[2].startsWith(QLatin1String("group/"));
    change.target = change.group ? positional[2].mid(6) : positional[2];
    if (change.target.isEmpty() || change.target.contains(QLatin1Char('/')))
        return fail(QStringLiteral("TARGET must be a breaker's name or group/NAME, got '%1'")
                        .arg(positional[2]));
    const QString why = parser.value(reason).trimmed();
    if (why.isEmpty())
        return fail(
            QStringLiteral("set needs --reason TEXT: it goes into every instance's audit log"));
    if (why.size() > kMaxReason)
        return fail(QStringLiteral("--reason must be at most %1 characters").arg(kMaxReason));
    if (parser.isSet(actor) && parser.value(actor).trimmed().isEmpty())
        return fail(QStringLiteral("--actor must not be empty"));
    change.body = {{"state", state},
                   {"reason", why},
                   {"actor", parser.isSet(actor) ? parser.value(actor) : defaultActor()}};
    if (parser.isSet(expiresIn)) {
        bool ok = false;
        const int seconds = parser.value(expiresIn).toInt(&ok);
        if (!ok || seconds < 1 || seconds > kMaxExpirySeconds)
            return fail(QStringLiteral("--expires-in must be a whole number of seconds from 1 to "
                                       "%1 (30 days), got '%2'")
                            .arg(kMaxExpirySeconds)
                            .arg(parser.value(expiresIn)));
        if (state == QLatin1String("closed") || state == QLatin1String("half_open"))
            return fail(QStringLiteral(
                "--expires-in applies only to forced_open, forced_closed and disabled"));
        change.body.insert("expires_in_s", seconds);
    }
    return change;
}
} // namespace

int runFleetCommand(const QString &command, const QStringList &arguments) {
    const bool set = command == QLatin1String("set");
    QCommandLineParser parser;
    parser.setApplicationDescription(set ? kSetHelp : kStatusHelp);
    parser.addHelpOption();
    const InstanceOptions shared;
    const QCommandLineOption formatOption{"format", "text or json (default text).", "text|json", "text"};
    parser.addOptions({shared.attach, shared.fleet, shared.tokenFile, shared.caFile, formatOption});
    const QCommandLineOption reason("reason", "Why: required, kept in every instance's audit log.",
                                    "TEXT");
    const QCommandLineOption expiresIn(
        "expires-in",
        "Seconds until the state ends by itself (forced_open, forced_closed, "
        "disabled; 1 to 2592000).",
        "S");
    const QCommandLineOption actor("actor", "Who does it (default $USER@$HOSTNAME).", "NAME");
    if (set) {
        parser.addOptions({reason, expiresIn, actor});
        parser.addPositionalArgument("set", "Set a state on every instance.", "set STATE TARGET");
    } else {
        parser.addPositionalArgument("status", "Print the fleet's breakers once.", "status");
    }
    if (!parser.parse(arguments))
        return usageError(QStringLiteral("%1 (see breakerboard %2 --help)")
                              .arg(parser.errorText().chopped(1), command));
    if (parser.isSet(QStringLiteral("help"))) {
        print(parser.helpText().trimmed());
        return 0;
    }
    const QString format = parser.value(formatOption);
    if (format != QLatin1String("text") && format != QLatin1String("json"))
        return usageError(QStringLiteral("--format must be text or json, got '%1'").arg(format));
    const QStringList positional = parser.positionalArguments();
    std::optional<StateChange> change;
    if (set && !(change = stateChangeOf(parser, positional, reason, expiresIn, actor)))
        return 1;
    if (!set && positional.size() != 1)
        return usageError(QStringLiteral(
            "usage: breakerboard status --attach URL ... [--fleet FILE] (see status --help)"));
    const auto instances = instancesOf(parser, shared);
    if (!instances)
        return 1;
    const FleetTargets fleet{*instances, format == QLatin1String("json")};
    if (!set)
        return runStatus(fleet);
    for (const remote::Instance &instance : fleet.instances)
        if (instance.tokenFile.isEmpty())
            return usageError(
                QStringLiteral(
                    "set needs the admin token: give --token-file FILE (instance %1 has none)")
                    .arg(instance.name));
    return runSet(fleet, *change);
}

} // namespace bb::app
