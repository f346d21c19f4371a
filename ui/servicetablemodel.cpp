#include "servicetablemodel.h"

#include "theme.h"

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
    : QAbstractTableModel(parent), m_state(state)
{
}

void ServiceTableModel::refresh(const std::vector<int> &changedRows)
{
    const int rows = int(m_state.rows().size());
    if (m_state.rowsReplaced() || rows != m_rows) {
        beginResetModel();
        m_rows = rows;
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
}

int ServiceTableModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : m_rows; }
int ServiceTableModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ServiceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ServiceRow &r = m_state.rows()[std::size_t(index.row())];
    if (role == NameRole)
        return QString::fromStdString(r.name);
    if (role == StateRole)
        return int(r.state);
    if (role == SortRole) {
        switch (index.column()) {
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
    if (role == Qt::TextAlignmentRole && index.column() > State)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole) {
        if (index.column() == FailureRate && r.failureRate >= r.failureThreshold && r.failureRate > 0)
            return stateColor(BreakerState::Open);
        if (index.column() == SlowRate && r.slowThreshold && r.slowRate >= *r.slowThreshold && r.slowRate > 0)
            return stateColor(BreakerState::Open);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == State)
        return QStringLiteral("%1 for %2").arg(stateLabel(r.state), duration(r.timeInStateS));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Service: return QString::fromStdString(r.name);
    case Group: return QString::fromStdString(r.group);
    case State: return stateLabel(r.state);
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
    static const char *const titles[ColumnCount] = {"Service", "Group", "State", "Failures", "Slow calls", "Req/s",
                                                    "p50", "p99", "Rejected/s", "Fallbacks", "In state",
                                                    "Next trial", "Trials"};
    static const char *const tips[ColumnCount] = {
        nullptr, "The first group the service belongs to", nullptr, "Failure rate of the window / the threshold",
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
