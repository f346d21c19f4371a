#include "instanceoptions.h"

#include "consoleoutput.h"

#include <QSet>

namespace bb::app {

namespace {
int usageError(const QString &message)
{
    printError(QStringLiteral("breakerboard: ") + message);
    return 1;
}
} // namespace

std::optional<std::vector<remote::Instance>> instancesOf(const QCommandLineParser &parser,
                                                         const InstanceOptions &o) {
    std::vector<remote::Instance> instances;
    if (parser.isSet(o.fleet)) {
        QStringList errors;
        const auto fleet = remote::loadFleetFile(parser.value(o.fleet), &errors);
        for (const QString &e : errors)
            printError(e);
        if (!fleet) {
            usageError(QStringLiteral("--fleet %1: %2 error(s)")
                           .arg(parser.value(o.fleet))
                           .arg(errors.size()));
            return std::nullopt;
        }
        instances = *fleet;
    }
    for (const QString &url : parser.values(o.attach)) {
        QString why;
        auto instance = remote::instanceFromUrl(url, {}, {}, &why);
        if (!instance) {
            usageError(QStringLiteral("--attach %1: the URL %2").arg(url, why));
            return std::nullopt;
        }
        instances.push_back(*instance);
    }
    QSet<QString> names;
    QSet<QString> urls;
    for (remote::Instance &instance : instances) {
        if (names.contains(instance.name) || urls.contains(instance.url.toString())) {
            usageError(QStringLiteral("instance %1 (%2) is given twice")
                           .arg(instance.name, instance.url.toString()));
            return std::nullopt;
        }
        names.insert(instance.name);
        urls.insert(instance.url.toString());
        if (instance.tokenFile.isEmpty())
            instance.tokenFile = parser.value(o.tokenFile);
        if (instance.caFile.isEmpty())
            instance.caFile = parser.value(o.caFile);
    }
    if (instances.empty()) {
        usageError(QStringLiteral("no instances: give --attach URL (repeatable) or --fleet FILE"));
        return std::nullopt;
    }
    return instances;
}

} // namespace bb::app
