#include "fleetview.h"

namespace bb::control {

QString stateLabel(LinkStatus::State s)
{
    switch (s) {
    case LinkStatus::State::Connecting: return QStringLiteral("connecting");
    case LinkStatus::State::Connected: return QStringLiteral("connected");
    case LinkStatus::State::Reconnecting: return QStringLiteral("reconnecting");
    case LinkStatus::State::Failed: return QStringLiteral("failed");
    }
    return {};
}

int FleetView::instanceIndex(const std::string &name) const
{
    for (std::size_t i = 0; i < instances.size(); ++i)
        if (instances[i].name == name)
            return int(i);
    return -1;
}

QString fleetStateText(BreakerState worst, const FleetTarget &target)
{
    // Open and forced open both turn calls away: counted together.
    const bool open = worst == BreakerState::Open || worst == BreakerState::ForcedOpen;
    int inWorst = 0;
    for (const auto &s : target.states)
        inWorst += s == worst;
    const QString name = open ? QStringLiteral("open")
                              : QString::fromUtf8(nameOf(worst).data(), qsizetype(nameOf(worst).size())).replace('_', ' ');
    return QStringLiteral("%1 on %2 of %3").arg(name).arg(open ? target.open : inWorst).arg(target.reporting);
}

} // namespace bb::control
