// `breakerboard status`: every breaker of the fleet once, merged.
#include "consoleoutput.h"
#include "fleetcommands.h"
#include "remote/fleetsummary.h"

#include <QJsonArray>

namespace bb::app {

namespace {
QString stateName(BreakerState state) {
    const std::string_view name = nameOf(state);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

QJsonObject statusJson(const std::vector<remote::Instance> &instances,
                       const std::vector<remote::Reply> &replies,
                       const std::vector<remote::FleetBreaker> &breakers) {
    QJsonArray instanceRows;
    for (std::size_t i = 0; i < instances.size(); ++i)
        instanceRows.append(QJsonObject{
            {"name", instances[i].name},
            {"url", instances[i].url.toString()},
            {"connected", replies[i].ok()},
            {"error", replies[i].ok() ? QJsonValue() : QJsonValue(replies[i].message)}});
    QJsonArray breakerRows;
    for (const remote::FleetBreaker &b : breakers) {
        QJsonObject states;
        for (const auto &[instance, state] : b.states)
            states.insert(instance, stateName(state));
        breakerRows.append(QJsonObject{{"name", b.name},
                                       {"state", stateName(b.worst)},
                                       {"states", states},
                                       {"instances_open", b.instancesOpen},
                                       {"requests_total", double(b.requestsTotal)}});
    }
    return {{"instances", instanceRows}, {"breakers", breakerRows}};
}

// "eu-1 open, eu-2 closed" where the instances differ; empty where they agree.
QString statesWhereTheyDiffer(const remote::FleetBreaker &b) {
    QStringList parts;
    bool differ = false;
    for (const auto &[instance, state] : b.states) {
        differ = differ || state != b.states.front().second;
        parts << instance + QLatin1Char(' ') + stateName(state);
    }
    return differ ? parts.join(QStringLiteral(", ")) : QString();
}

void printStatus(const std::vector<remote::Instance> &instances,
                 const std::vector<remote::Reply> &replies,
                 const std::vector<remote::FleetBreaker> &breakers) {
    QList<QStringList> rows{{"INSTANCE", "URL", "STATUS"}};
    for (std::size_t i = 0; i < instances.size(); ++i)
        rows.append({instances[i].name, instances[i].url.toString(),
                     replies[i].ok() ? QStringLiteral("connected") : replies[i].message});
    printTable(rows);
    print(QString());
    if (breakers.empty()) {
        print(QStringLiteral("No breakers."));
        return;
    }
    rows = {{"BREAKER", "STATE", "OPEN ON", "REQUESTS", "STATES"}};
    for (const remote::FleetBreaker &b : breakers)
        rows.append({b.name, stateName(b.worst),
                     QStringLiteral("%1 of %2").arg(b.instancesOpen).arg(b.states.size()),
                     QString::number(b.requestsTotal), statesWhereTheyDiffer(b)});
    printTable(rows);
}
} // namespace

int runStatus(const FleetTargets &fleet) {
    const std::vector<remote::Reply> replies =
        onEveryInstance(fleet.instances, [](remote::AdminClient &client, auto done) {
            client.get(QStringLiteral("/api/v1/breakers"), done);
        });
    std::vector<remote::InstanceBreakers> answered;
    std::size_t silent = 0;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (replies[i].ok())
            answered.push_back(
                {fleet.instances[i].name, replies[i].json().value("breakers").toArray()});
        else
            ++silent;
    }
    const auto breakers = remote::mergeBreakers(answered);
    if (fleet.json)
        printJson(statusJson(fleet.instances, replies, breakers));
    else
        printStatus(fleet.instances, replies, breakers);
    return exitStatus(silent, replies.size(), QStringLiteral("did not answer"));
}

} // namespace bb::app
