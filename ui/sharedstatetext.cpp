#include "sharedstatetext.h"

#include "control/trafficsample.h"
#include "theme.h"

#include <algorithm>

namespace bb::ui {

using Link = control::SharedStateStatus::Link;

QString sharedStateCell(const std::optional<control::SharedStateStatus> &shared)
{
    if (!shared)
        return QStringLiteral("—");
    if (shared->link == Link::Down && !shared->problem.isEmpty())
        return QStringLiteral("down: %1").arg(shared->problem);
    return control::linkLabel(shared->link);
}

QColor sharedStateColor(Link link)
{
    switch (link) {
    case Link::Connected: return stateColor(BreakerState::Closed);
    case Link::Connecting: return stateColor(BreakerState::HalfOpen);
    case Link::Down: return stateColor(BreakerState::Open);
    }
    return {};
}

QString sharedStateTip(const control::SharedStateStatus &s)
{
    const QString why = s.problem.isEmpty() ? QString() : QStringLiteral("Down: %1\n").arg(s.problem);
    return why + QStringLiteral("Cluster: %1\nRedis: %2\nInstance: %3\nBreakers: %4\nRefused records: %5\nUnsent changes: %6")
        .arg(QString::fromStdString(s.cluster), QString::fromStdString(s.redis), QString::fromStdString(s.instance),
             QString::fromStdString(s.breakers))
        .arg(s.refusedRecords)
        .arg(s.unsent);
}

QString sharedStateBadge(const std::optional<control::SharedStateStatus> &shared)
{
    if (!shared)
        return {};
    switch (shared->link) {
    case Link::Connected: return QStringLiteral("shared: connected");
    case Link::Connecting: return QStringLiteral("shared: connecting");
    case Link::Down: return QStringLiteral("shared: down — deciding alone");
    }
    return {};
}

std::optional<control::SharedStateStatus> liveSharedState(const control::InstanceView &instance)
{
    return instance.live() ? instance.observation->sharedState : std::nullopt;
}

int sharedStateDownCount(const control::FleetView &fleet)
{
    return int(std::count_if(fleet.instances.begin(), fleet.instances.end(), [](const control::InstanceView &in) {
        const auto shared = liveSharedState(in);
        return shared && shared->link == Link::Down;
    }));
}

} // namespace bb::ui
