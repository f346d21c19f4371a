#include "consoleoutput.h"
#include "fleetcommands.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <memory>

namespace bb::app {

std::vector<remote::Reply> onEveryInstance(const std::vector<remote::Instance> &instances,
                                           const FleetStep &step) {
    std::vector<remote::Reply> replies(instances.size());
    std::vector<std::unique_ptr<remote::AdminClient>> clients;
    std::size_t pending = instances.size();
    QEventLoop loop;
    for (std::size_t i = 0; i < instances.size(); ++i) {
        clients.push_back(std::make_unique<remote::AdminClient>(instances[i]));
        remote::AdminClient &client = *clients.back();
        const auto finish = [&, i](const remote::Reply &r) {
            replies[i] = r;
            if (--pending == 0)
                loop.quit();
        };
        client.identify([&client, &step, finish](const remote::Reply &identity) {
            if (identity.ok())
                step(client, finish);
            else
                finish(identity);
        });
    }
    if (pending > 0)
        loop.exec();
    return replies;
}

void printJson(const QJsonObject &output) {
    print(QString::fromUtf8(QJsonDocument(output).toJson(QJsonDocument::Indented).trimmed()));
}

int exitStatus(std::size_t failed, std::size_t total, const QString &failure) {
    if (failed == 0)
        return 0;
    printError(
        QStringLiteral("breakerboard: %1 of %2 instances %3").arg(failed).arg(total).arg(failure));
    return 2;
}

} // namespace bb::app
