#include "fleetplan.h"

#include "dashboardstate.h"

#include <algorithm>
#include <functional>

namespace bb::ui {

namespace {
QString str(const std::string &s) { return QString::fromStdString(s); }

bool inScope(const control::Scope &scope, const std::string &instance)
{
    return scope.instances.empty() ||
           std::find(scope.instances.begin(), scope.instances.end(), instance) != scope.instances.end();
}

// A line per instance: why it is left alone, or what change(its state, its index) says.
QStringList perInstance(const control::FleetView &fleet, const control::FleetTarget *target,
                        const control::Scope &scope, const QString &missing,
                        const std::function<QString(BreakerState, int)> &change)
{
    QStringList lines;
    for (std::size_t i = 0; i < fleet.instances.size(); ++i) {
        const control::InstanceView &in = fleet.instances[i];
        std::optional<BreakerState> state;
        if (target && i < target->states.size())
            state = target->states[i];
        QString what;
        if (!inScope(scope, in.name))
            what = QStringLiteral("not selected — unchanged");
        else if (in.link.state != control::LinkStatus::State::Connected)
            what = QStringLiteral("not connected — unchanged");
        else if (!state)
            what = QStringLiteral("%1 — unchanged").arg(missing);
        else
            what = change(*state, int(i));
        lines << QStringLiteral("%1: %2").arg(str(in.name), what);
    }
    return lines;
}

QString where(const control::Scope &scope)
{
    if (scope.instances.empty())
        return QStringLiteral("On every instance that has it:");
    QStringList names;
    for (const std::string &n : scope.instances)
        names << str(n);
    return QStringLiteral("Only on %1 (as selected); the other instances are left alone:").arg(names.join(QStringLiteral(", ")));
}

const control::FleetTarget *find(const std::unordered_map<std::string, control::FleetTarget> &targets,
                                 const std::string &name)
{
    const auto it = targets.find(name);
    return it == targets.end() ? nullptr : &it->second;
}
} // namespace

QString actionPlan(OperatorAction action, const ActionTarget &target, const control::FleetView &fleet)
{
    const BreakerState to = OperatorCommand{action, {}, {}, std::nullopt}.target();
    const auto change = [to](BreakerState now, int) { return QStringLiteral("%1 → %2").arg(stateLabel(now), stateLabel(to)); };
    const QString missing = target.group ? QStringLiteral("has no such group") : QStringLiteral("has no such service");
    QStringList lines;
    for (std::size_t i = 0; i < target.names.size(); ++i) {
        const std::string &name = target.names[i];
        const control::FleetTarget *t = find(target.group ? fleet.groups : fleet.breakers, name);
        const QStringList each = perInstance(fleet, t, target.scopeOf(i), missing, change);
        if (target.names.size() == 1) {
            lines << where(target.scopeOf(i)) << each;
            continue;
        }
        lines << QStringLiteral("%1 — %2").arg(str(name), where(target.scopeOf(i)));
        for (const QString &l : each)
            lines << QStringLiteral("    ") + l;
    }
    return lines.join(QLatin1Char('\n'));
}

QString editPlan(const std::string &service, const control::Scope &scope, const DashboardState &state,
                 const BreakerPolicy &shown)
{
    const control::FleetView *fleet = state.fleet();
    if (!fleet)
        return {};
    const auto change = [&](BreakerState, int i) {
        const DashboardState *there = state.instance(i);
        const BreakerSnapshot *b = there && there->snapshot() ? there->snapshot()->breaker(service) : nullptr;
        return b && !(b->policy == shown) ? QStringLiteral("takes these values (its own differ now)")
                                          : QStringLiteral("takes these values");
    };
    QStringList lines{where(scope)};
    lines << perInstance(*fleet, find(fleet->breakers, service), scope, QStringLiteral("has no such service"), change);
    return lines.join(QLatin1Char('\n'));
}

QString outcomeText(const control::CommandResult &r, bool group)
{
    using Status = control::CommandResult::Status;
    switch (r.status) {
    case Status::Ok: {
        QString done = QStringLiteral("done");
        if (r.windowReset)
            done += QStringLiteral(", the window started empty");
        if (!r.warning.isEmpty())
            done += QStringLiteral(" (%1)").arg(r.warning);
        return done;
    }
    case Status::NotFound: return group ? QStringLiteral("no such group there") : QStringLiteral("no such service there");
    case Status::Invalid: {
        QStringList errors;
        for (const control::FieldError &e : r.errors)
            errors << (e.field.empty() ? str(e.message) : QStringLiteral("%1: %2").arg(str(e.field), str(e.message)));
        return QStringLiteral("refused — %1").arg(errors.join(QStringLiteral("; ")));
    }
    case Status::Unavailable: return QStringLiteral("not reached — %1").arg(r.unavailable);
    }
    return {};
}

QStringList outcomeLines(const control::CommandResult &result, bool group)
{
    QStringList lines;
    for (const control::InstanceOutcome &o : result.instances)
        lines << QStringLiteral("%1: %2").arg(str(o.instance), outcomeText(o.result, group));
    return lines;
}

} // namespace bb::ui
