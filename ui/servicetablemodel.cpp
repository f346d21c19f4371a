#include "servicetablemodel.h"

#include "fleettext.h"
#include "theme.h"

#include <QPalette>

namespace bb::ui {

namespace {
QString rate(double percent) { return QString::number(percent, 'f', 1) + QLatin1Char('%'); }
QString perSecond(double n) { return QString::number(n, 'f', n < 10 ? 1 : 0); }
QString millis(double ms) { return ms <= 0 ? QStringLiteral("–") : QString::number(ms, 'f', ms < 10 ? 1 : 0) + QStringLiteral(" ms"); }

QString duration(std::int64_t s)
{
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
}
} // namespace

ServiceTableModel::ServiceTableModel(const DashboardState &state, QObject *parent)
    : TwoLevelModel(parent), m_state(state)
{
}

void ServiceTableModel::refresh(const std::vector<int> &changedRows)
{
    const int rows = int(m_state.rows().size());
    const int instances = m_state.fleet() ? int(m_state.fleet()->instances.size()) : 0;
    if (m_state.rowsReplaced() || rows != m_rows || m_state.instancesReplaced() || instances != m_instances) {
        beginResetModel();
        m_rows = rows;
        m_instances = instances;
        endResetModel();
        return;
    }
    // Neighbouring rows go out as one range.
    std::size_t i = 0;
    while (i < changedRows.size()) {
        std::size_t j = i;
        while (j + 1 < changedRows.size() && changedRows[j + 1] == changedRows[j] + 1)
            ++j;
        emit dataChanged(index(changedRows[i], 0), index(changedRows[j], ColumnCount - 1));
        i = j + 1;
    }
    for (const auto &[row, instance] : m_state.changedInstanceRows()) {
        const QModelIndex service = index(row, 0);
        emit dataChanged(index(instance, 0, service), index(instance, ColumnCount - 1, service));
    }
}

int ServiceTableModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant ServiceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (!isOuter(index))
        return instanceData(outerRowOf(index), index.row(), index.column(), role);
    const ServiceRow &r = m_state.rows()[std::size_t(index.row())];
    if (role == NameRole)
        return QString::fromStdString(r.name);
    if (role == InstanceRole)
        return QString();
    if (role == DimmedRole)
        return false;
    if (role == OutlinedRole)
        return r.enforcement < 100.0 && (r.state == BreakerState::Open || r.state == BreakerState::HalfOpen);
    if (index.column() == Instances)
        return fleetData(index.row(), role);
    return figures(r, index.column(), role);
}

QVariant ServiceTableModel::fleetData(int row, int role) const
{
    const ServiceRow &r = m_state.rows()[std::size_t(row)];
    if (role == StateRole)
        return int(r.state);
    const control::FleetView *fleet = m_state.fleet();
    if (!fleet)
        return {};
    const auto it = fleet->breakers.find(r.name);
    if (it == fleet->breakers.end())
        return {};
    const control::FleetTarget &t = it->second;
    switch (role) {
    case Qt::DisplayRole:
        return control::fleetStateText(r.state, t) + (t.configDiffers ? QLatin1Char(' ') + kDiffersMark : QString());
    case SortRole: return t.open * 1000 + stateSeverity(r.state);
    case Qt::ToolTipRole: return instanceStatesTip(*fleet, t);
    case Qt::ForegroundRole: return r.state == BreakerState::Closed ? QVariant() : QVariant(stateColor(r.state));
    }
    return {};
}

QVariant ServiceTableModel::instanceData(int row, int instance, int column, int role) const
{
    const control::FleetView *fleet = m_state.fleet();
    if (!fleet || std::size_t(instance) >= fleet->instances.size())
        return {};
    const control::InstanceView &in = fleet->instances[std::size_t(instance)];
    const QString name = QString::fromStdString(in.name);
    switch (role) {
    case NameRole: return QString::fromStdString(m_state.rows()[std::size_t(row)].name);
    case InstanceRole: return name;
    case DimmedRole: return !in.live();
    case Qt::ForegroundRole:
        if (!in.live())
            return QPalette().color(QPalette::Disabled, QPalette::Text);
        break;
    }
    if (column == Service && (role == Qt::DisplayRole || role == SortRole))
        return name;
    if (column == Service && role == Qt::ToolTipRole)
        return in.url;
    if (column == Instances) {
        const bool differs = m_state.policyDiffers(instance, row);
        if (role == Qt::DisplayRole)
            return linkText(in.link) + (differs ? QLatin1Char(' ') + kDiffersMark : QString());
        if (role == SortRole)
            return int(in.link.state);
        if (role == Qt::ToolTipRole) {
            QStringList tip{in.url};
            if (!in.link.message.isEmpty())
                tip << in.link.message;
            if (differs)
                tip << QStringLiteral("%1 its settings here differ from the other instances'").arg(kDiffersMark);
            return tip.join(QLatin1Char('\n'));
        }
        return {};
    }
    const ServiceRow *r = m_state.instanceRow(instance, row);
    if (column == Group || !r)
        return column == State && role == Qt::DisplayRole ? QStringLiteral("–") : QVariant();
    return figures(*r, column, role);
}

QVariant ServiceTableModel::figures(const ServiceRow &r, int column, int role) const
{
    if (role == StateRole)
        return int(r.state);
    if (role == SortRole) {
        switch (column) {
        case Service: return QString::fromStdString(r.name);
        case Group: return QString::fromStdString(r.group);
        case State: return stateSeverity(r.state);
        case FailureRate: return r.failureRate;
        case SlowRate: return r.slowRate;
        case RequestsPerS: return r.requestsPerS;
        case P50: return r.p50Ms;
        case P99: return r.p99Ms;
        case RejectedPerS: return r.rejectedPerS;
        case Fallbacks: return qulonglong(r.fallbacks);
        case TimeInState: return qlonglong(r.timeInStateS);
        case NextTrial: return r.nextTrialInS ? qlonglong(*r.nextTrialInS) : qlonglong(-1);
        case Permits: return r.permitsUsed;
        }
    }
    if (role == Qt::TextAlignmentRole && column > Instances)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole) {
        if (column == FailureRate && r.failureRate >= r.failureThreshold && r.failureRate > 0)
            return stateColor(BreakerState::Open);
        if (column == SlowRate && r.slowThreshold && r.slowRate >= *r.slowThreshold && r.slowRate > 0)
            return stateColor(BreakerState::Open);
        return {};
    }
    if (role == Qt::ToolTipRole && column == State)
        return QStringLiteral("%1 for %2").arg(stateLabel(r.state, r.enforcement), duration(r.timeInStateS));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Service: return QString::fromStdString(r.name);
    case Group: return QString::fromStdString(r.group);
    case State: return stateLabel(r.state, r.enforcement);
    case FailureRate: return QStringLiteral("%1 / %2").arg(rate(r.failureRate), rate(r.failureThreshold));
    case SlowRate:
        return r.slowThreshold ? QStringLiteral("%1 / %2").arg(rate(r.slowRate), rate(*r.slowThreshold))
                               : rate(r.slowRate);
    case RequestsPerS: return perSecond(r.requestsPerS);
    case P50: return millis(r.p50Ms);
    case P99: return millis(r.p99Ms);
    case RejectedPerS: return perSecond(r.rejectedPerS);
    case Fallbacks: return QString::number(r.fallbacks);
    case TimeInState: return duration(r.timeInStateS);
    case NextTrial: return r.nextTrialInS ? duration(*r.nextTrialInS) : QStringLiteral("–");
    case Permits:
        return r.state == BreakerState::HalfOpen ? QStringLiteral("%1 / %2").arg(r.permitsUsed).arg(r.permitsLeft)
                                                 : QStringLiteral("–");
    }
    return {};
}

QVariant ServiceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const titles[ColumnCount] = {"Service", "Group", "State", "Instances", "Failures", "Slow calls",
                                                    "Req/s", "p50", "p99", "Rejected/s", "Fallbacks", "In state",
                                                    "Next trial", "Trials"};
    static const char *const tips[ColumnCount] = {
        nullptr, "The first group the service belongs to", nullptr,
        "The worst state and on how many of the instances that report it; expand a service for each instance",
        "Failure rate of the window / the threshold",
        "Slow-call rate of the window / the threshold", "Requests a second through the proxy",
        "Median latency over the last 10 s", "99th-percentile latency over the last 10 s",
        "Calls turned away a second (with or without a fallback)", "Calls answered by a fallback since the start",
        "How long the breaker has been in its state", "Until an open breaker lets trial calls through",
        "Half-open trial calls used / left"};
    if (role == Qt::DisplayRole)
        return QString::fromLatin1(titles[section]);
    if (role == Qt::ToolTipRole && tips[section])
        return QString::fromLatin1(tips[section]);
    return {};
}

ServiceFilterModel::ServiceFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(ServiceTableModel::SortRole);
    setDynamicSortFilter(false); // a re-sort every tenth of a second would move rows under the mouse
}

void ServiceFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

void ServiceFilterModel::setStateFilter(StateFilter filter)
{
    m_states = filter;
    invalidateFilter();
}

bool ServiceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return true; // an instance's row, shown with its service
    const QAbstractItemModel *m = sourceModel();
    const QModelIndex name = m->index(sourceRow, ServiceTableModel::Service, sourceParent);
    if (!m_text.isEmpty()) {
        const QString group = m->index(sourceRow, ServiceTableModel::Group, sourceParent).data().toString();
        if (!name.data().toString().contains(m_text, Qt::CaseInsensitive) &&
            !group.contains(m_text, Qt::CaseInsensitive))
            return false;
    }
    const auto state = BreakerState(name.data(ServiceTableModel::StateRole).toInt());
    switch (m_states) {
    case StateFilter::All: return true;
    case StateFilter::NotClosed: return state != BreakerState::Closed;
    case StateFilter::Open: return state == BreakerState::Open || state == BreakerState::ForcedOpen;
    case StateFilter::HalfOpen: return state == BreakerState::HalfOpen;
    case StateFilter::Forced:
        return state == BreakerState::ForcedOpen || state == BreakerState::ForcedClosed ||
               state == BreakerState::Disabled;
    }
    return true;
}

} // namespace bb::ui
