// `breakerboard set`: one state change sent to every instance, and what each
// instance made of it.
#include "consoleoutput.h"
#include "fleetcommands.h"

#include <QJsonArray>

namespace bb::app {

namespace {
// Why an instance did not make the change, in a few words.
QString failureOf(const remote::Reply &r) {
    const QJsonObject o = r.json();
    if (r.problem == remote::LinkProblem::Http && r.status == 404)
        return QStringLiteral("not found there: ") + o.value("error").toString();
    if (r.problem == remote::LinkProblem::Http && r.status == 422) {
        QStringList fields;
        for (const QJsonValue &e : o.value("errors").toArray())
            fields << e.toObject().value("field").toString() + QStringLiteral(": ") +
                          e.toObject().value("message").toString();
        return QStringLiteral("refused: ") + fields.join(QStringLiteral("; "));
    }
    return r.message;
}
} // namespace

int runSet(const FleetTargets &fleet, const StateChange &change) {
    const QString kind = change.group ? QStringLiteral("group") : QStringLiteral("breaker");
    const QString path =
        QStringLiteral("/api/v1/%1s/%2/state")
            .arg(kind, QString::fromLatin1(QUrl::toPercentEncoding(change.target)));
    const std::vector<remote::Reply> replies =
        onEveryInstance(fleet.instances, [&](remote::AdminClient &client, auto done) {
            client.send("POST", path, change.body, done);
        });
    const QString state = change.body.value("state").toString();
    std::size_t failed = 0;
    QJsonArray results;
    QList<QStringList> rows;
    for (std::size_t i = 0; i < replies.size(); ++i) {
        const remote::Reply &r = replies[i];
        const QString now = r.ok() ? r.json().value("state").toString() : QString();
        const QString error = r.ok() ? QString() : failureOf(r);
        failed += r.ok() ? 0 : 1;
        results.append(QJsonObject{{"instance", fleet.instances[i].name},
                                   {"url", fleet.instances[i].url.toString()},
                                   {"ok", r.ok()},
                                   {"status", r.status ? QJsonValue(r.status) : QJsonValue()},
                                   {"state", r.ok() ? QJsonValue(now) : QJsonValue()},
                                   {"error", r.ok() ? QJsonValue() : QJsonValue(error)}});
        rows.append(
            {fleet.instances[i].name, r.ok() ? QStringLiteral("ok, now %1").arg(now) : error});
    }
    if (fleet.json) {
        const QJsonObject o{
            {"target", change.target}, {"kind", kind}, {"state", state}, {"results", results}};
        printJson(o);
    } else {
        print(QStringLiteral("%1 %2 → %3 on %4 instance(s):")
                  .arg(kind, change.target, state)
                  .arg(replies.size()));
        printTable(rows);
    }
    return exitStatus(failed, replies.size(), QStringLiteral("did not make the change"));
}

} // namespace bb::app
