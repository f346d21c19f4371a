#include "forcedstates.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace bb::persist {

std::optional<OperatorAction> forcingAction(BreakerState s)
{
    switch (s) {
    case BreakerState::ForcedOpen: return OperatorAction::ForceOpen;
    case BreakerState::ForcedClosed: return OperatorAction::ForceClosed;
    case BreakerState::Disabled: return OperatorAction::Disable;
    default: return std::nullopt;
    }
}

namespace {
template <typename Snapshot> void collect(const Snapshot &s, bool isGroup, std::int64_t wallMs, std::vector<ForcedState> &out)
{
    const auto action = forcingAction(s.state);
    if (!action)
        return;
    ForcedState f{isGroup, s.name, *action, s.lastCause.actor, s.lastCause.reason, std::nullopt};
    // Whole seconds: the same expiry gives the same bytes from one snapshot to the next.
    if (s.expiresIn)
        f.expiresAtMs = (wallMs + toMs(*s.expiresIn) + 500) / 1000 * 1000;
    out.push_back(std::move(f));
}
} // namespace

std::vector<ForcedState> forcedStatesOf(const EngineSnapshot &snapshot)
{
    std::vector<ForcedState> out;
    for (const auto &b : snapshot.breakers)
        collect(b, false, snapshot.wallMs, out);
    for (const auto &g : snapshot.groups)
        collect(g, true, snapshot.wallMs, out);
    return out;
}

QByteArray encodeForcedStates(const std::vector<ForcedState> &states)
{
    QJsonArray breakers;
    QJsonArray groups;
    for (const auto &f : states) {
        QJsonObject o{{"name", QString::fromStdString(f.name)},
                      {"action", QString::fromUtf8(nameOf(f.action).data())},
                      {"actor", QString::fromStdString(f.actor)},
                      {"reason", QString::fromStdString(f.reason)}};
        if (f.expiresAtMs)
            o.insert("expires_at_ms", double(*f.expiresAtMs));
        (f.isGroup ? groups : breakers).append(o);
    }
    return QJsonDocument(QJsonObject{{"version", 1}, {"breakers", breakers}, {"groups", groups}}).toJson();
}

ForcedStatesFile loadForcedStates(const QString &path)
{
    ForcedStatesFile result;
    QFile file(path);
    if (!file.exists())
        return result;
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject() || doc.object().value("version").toInt() != 1) {
        result.error = QStringLiteral("%1 is not a forced-states file of this version%2")
                           .arg(path, parseError.error ? QStringLiteral(": ") + parseError.errorString() : QString());
        return result;
    }
    for (const bool isGroup : {false, true}) {
        for (const auto &value : doc.object().value(isGroup ? "groups" : "breakers").toArray()) {
            const QJsonObject o = value.toObject();
            const auto action = parseOperatorAction(o.value("action").toString().toStdString());
            const std::string name = o.value("name").toString().toStdString();
            if (!action || name.empty() ||
                (*action != OperatorAction::ForceOpen && *action != OperatorAction::ForceClosed &&
                 *action != OperatorAction::Disable)) {
                result.error = QStringLiteral("%1: skipped an entry without a name and a forced state").arg(path);
                continue;
            }
            ForcedState f{isGroup, name, *action, o.value("actor").toString().toStdString(),
                          o.value("reason").toString().toStdString(), std::nullopt};
            if (o.value("expires_at_ms").isDouble())
                f.expiresAtMs = std::int64_t(o.value("expires_at_ms").toDouble());
            result.states.push_back(std::move(f));
        }
    }
    return result;
}

} // namespace bb::persist
