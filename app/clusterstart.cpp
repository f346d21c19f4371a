#include "clusterstart.h"

#include "consoleoutput.h"

#include <QFile>
#include <QSysInfo>

namespace bb::app {

namespace {
// The first line of the file, without its line end.
std::optional<QByteArray> readPassword(const std::string &path, QString *error)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the Redis password file %1: %2").arg(file.fileName(), file.errorString());
        return std::nullopt;
    }
    const QByteArray password = file.readLine(4096).trimmed();
    if (password.isEmpty()) {
        *error = QStringLiteral("the Redis password file %1 is empty").arg(file.fileName());
        return std::nullopt;
    }
    return password;
}
} // namespace

std::optional<SharedStateSettings> sharedStateSettings(const Configuration &config, const SharedStateFlags &flags,
                                                       quint16 proxyPort)
{
    // The machine and the port tell instances apart across hosts.
    const std::string defaultInstance = QSysInfo::machineHostName().toStdString() + ':' + std::to_string(proxyPort);
    return mergeSharedState(config.sharedState, flags, defaultInstance);
}

std::unique_ptr<cluster::ClusterLink> joinCluster(control::ControlService &control, const SharedStateSettings &settings,
                                                  std::shared_ptr<const proxy::RouteTable> routes, const Clock &clock)
{
    QString error;
    auto address = shared::parseRedisUrl(QString::fromStdString(settings.config.redisUrl), &error);
    if (address && !settings.config.passwordFile.empty()) {
        const auto password = readPassword(settings.config.passwordFile, &error);
        if (password)
            address->password = *password;
        else
            address.reset();
    }
    if (!address) {
        printError(QStringLiteral("breakerboard: shared state: ") + error);
        return nullptr;
    }
    auto link = std::make_unique<cluster::ClusterLink>(control, settings, *address);
    QObject::connect(link.get(), &cluster::ClusterLink::said, [](const QString &line) { print(line); });
    if (routes)
        link->shareCache(std::move(routes), clock);
    const QString redis = QString::fromStdString(settings.config.redis.display());
    print(QStringLiteral("Shared state: cluster %1 on redis %2 as instance %3, breakers %4%5")
              .arg(QString::fromStdString(settings.config.cluster), redis, QString::fromStdString(settings.instance),
                   QString::fromUtf8(nameOf(settings.config.breakers).data()),
                   settings.config.quorum ? QStringLiteral(" (quorum %1)").arg(*settings.config.quorum) : QString()));
    if (!link->start(kClusterStartWait))
        print(QStringLiteral("Shared state: redis %1 did not answer within %2 ms; starting with this instance's own "
                             "state, and catching up once it answers")
                  .arg(redis)
                  .arg(kClusterStartWait.count()));
    control.setSharedState(link.get());
    return link;
}

} // namespace bb::app
