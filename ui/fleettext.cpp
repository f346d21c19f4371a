#include "fleettext.h"

#include "dashboardstate.h"

#include <QStringList>

namespace bb::ui {

QString linkText(const control::LinkStatus &link)
{
    using State = control::LinkStatus::State;
    switch (link.state) {
    case State::Reconnecting:
        if (link.nextTryInMs < 0)
            return QStringLiteral("reconnecting");
        return QStringLiteral("reconnecting in %1 s").arg((link.nextTryInMs + 999) / 1000);
    case State::Failed:
        return link.problem.isEmpty() ? control::stateLabel(link.state) : link.problem;
    case State::Connecting:
    case State::Connected:
        break;
    }
    return control::stateLabel(link.state);
}

QString instanceStatesTip(const control::FleetView &fleet, const control::FleetTarget &target)
{
    QStringList lines;
    for (std::size_t i = 0; i < fleet.instances.size(); ++i) {
        const control::InstanceView &in = fleet.instances[i];
        const auto state = i < target.states.size() ? target.states[i] : std::nullopt;
        QString what;
        if (state)
            what = stateLabel(*state);
        else if (in.link.state != control::LinkStatus::State::Connected)
            what = linkText(in.link);
        else
            what = QStringLiteral("does not have it");
        lines << QStringLiteral("%1: %2").arg(QString::fromStdString(in.name), what);
    }
    if (target.configDiffers)
        lines << differsTip();
    return lines.join(QLatin1Char('\n'));
}

QString fleetSummary(const control::FleetView &fleet)
{
    using State = control::LinkStatus::State;
    int counts[4] = {};
    for (const control::InstanceView &in : fleet.instances)
        ++counts[int(in.link.state)];
    QStringList parts;
    for (const State s : {State::Connected, State::Connecting, State::Reconnecting, State::Failed})
        if (counts[int(s)] > 0)
            parts << QStringLiteral("%1 %2").arg(counts[int(s)]).arg(control::stateLabel(s));
    const auto n = fleet.instances.size();
    return QStringLiteral("%1 %2: %3")
        .arg(n)
        .arg(n == 1 ? QStringLiteral("instance") : QStringLiteral("instances"))
        .arg(parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", ")));
}

QString differsTip() { return QStringLiteral("%1 its settings differ between instances").arg(kDiffersMark); }

} // namespace bb::ui
