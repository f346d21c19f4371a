#include "eventlogmodel.h"

#include <QDateTime>
#include <QIODevice>

namespace bb::ui {

namespace {
QString str(const std::string &s) { return QString::fromStdString(s); }

// The command that returns a target to a state it was in.
std::optional<OperatorAction> actionRestoring(BreakerState s)
{
    switch (s) {
    case BreakerState::Closed: return OperatorAction::Reset;
    case BreakerState::Open: return OperatorAction::HalfOpen; // an open breaker's next step: trials decide
    case BreakerState::HalfOpen: return OperatorAction::HalfOpen;
    case BreakerState::ForcedOpen: return OperatorAction::ForceOpen;
    case BreakerState::ForcedClosed: return OperatorAction::ForceClosed;
    case BreakerState::Disabled: return OperatorAction::Disable;
    }
    return std::nullopt;
}

QString csvField(QString text)
{
    if (text.contains(QLatin1Char('"')) || text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('\n')) ||
        text.contains(QLatin1Char('\r')))
        return QLatin1Char('"') + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return text;
}
// Over a fleet, which instance it happened on: "payment-service on eu-1".
QString onInstance(const QString &subject, const std::string &instance)
{
    return instance.empty() ? subject : subject + QStringLiteral(" on ") + QString::fromStdString(instance);
}
} // namespace

QString clockText(std::int64_t wallMs)
{
    return QDateTime::fromMSecsSinceEpoch(wallMs).toString(QStringLiteral("HH:mm:ss"));
}

QString kindLabel(LogEntry::Kind kind)
{
    switch (kind) {
    case LogEntry::Kind::Transition: return QStringLiteral("transition");
    case LogEntry::Kind::Operator: return QStringLiteral("operator");
    case LogEntry::Kind::Policy: return QStringLiteral("policy edit");
    case LogEntry::Kind::Reload: return QStringLiteral("config reload");
    case LogEntry::Kind::Outcome: return QStringLiteral("instance answer");
    }
    return {};
}

EventLogModel::EventLogModel(QObject *parent) : QAbstractTableModel(parent) {}

void EventLogModel::addTransition(const TransitionEvent &event)
{
    LogEntry e;
    e.kind = LogEntry::Kind::Transition;
    e.wallMs = event.wallMs;
    e.subject = onInstance(event.isGroup ? QStringLiteral("group ") + str(event.subject) : str(event.subject),
                           event.instance);
    e.what = QStringLiteral("%1 → %2: %3")
                 .arg(QLatin1String(nameOf(event.from)), QLatin1String(nameOf(event.to)),
                      str(event.cause.toString() + event.enforcementMark()));
    if (event.cause.kind == CauseKind::Operator)
        e.by = str(event.cause.actor);
    e.transition = event;
    append(std::move(e));
}

void EventLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

void EventLogModel::addAudit(const persist::AuditEntry &entry)
{
    LogEntry e;
    e.wallMs = entry.wallMs;
    const std::string &t = entry.target;
    const auto slash = t.find('/');
    const std::string kind = t.substr(0, slash);
    const std::string name = slash == std::string::npos ? t : t.substr(slash + 1);
    e.subject = onInstance(kind == "group" ? QStringLiteral("group ") + str(name) : str(name), entry.instance);
    if (entry.action == "edit_policy")
        e.kind = LogEntry::Kind::Policy;
    else if (entry.action.rfind("reload", 0) == 0)
        e.kind = LogEntry::Kind::Reload;
    else
        e.kind = LogEntry::Kind::Operator;
    QString what = str(entry.action);
    if (!entry.reason.empty())
        what += QStringLiteral(": \"%1\"").arg(str(entry.reason));
    if (entry.expiresInS)
        what += QStringLiteral(", expires in %1 s").arg(*entry.expiresInS);
    if (!entry.detail.empty())
        what += QStringLiteral(" — ") + str(entry.detail);
    e.what = what;
    e.by = QStringLiteral("%1 (%2)").arg(str(entry.actor), str(entry.origin));
    e.audit = entry;
    append(std::move(e));
}

void EventLogModel::addOutcome(std::int64_t wallMs, const QString &subject, const QString &what, const QString &by)
{
    LogEntry e;
    e.kind = LogEntry::Kind::Outcome;
    e.wallMs = wallMs;
    e.subject = subject;
    e.what = what;
    e.by = by;
    append(std::move(e));
}

void EventLogModel::append(LogEntry entry)
{
    if (m_entries.size() >= kKept) {
        beginRemoveRows({}, 0, 0);
        m_entries.pop_front();
        endRemoveRows();
    }
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.push_back(std::move(entry));
    endInsertRows();
}

std::optional<Undo> EventLogModel::undoOf(int row) const
{
    if (row < 0 || std::size_t(row) >= m_entries.size())
        return std::nullopt;
    const LogEntry &e = m_entries[std::size_t(row)];
    if (e.kind != LogEntry::Kind::Operator || !e.audit)
        return std::nullopt;
    const persist::AuditEntry &a = *e.audit;
    const bool group = a.target.rfind("group/", 0) == 0;
    const std::string name = a.target.substr(a.target.find('/') + 1);
    // The transition the action caused tells the state it left.
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const auto &t = m_entries[i].transition;
        if (!t || t->isGroup != group || t->subject != name || t->instance != a.instance ||
            t->cause.kind != CauseKind::Operator)
            continue;
        if (std::string(nameOf(t->cause.action)) != a.action || t->cause.actor != a.actor ||
            t->cause.reason != a.reason || t->wallMs + 1000 < a.wallMs)
            continue;
        const auto action = actionRestoring(t->from);
        if (!action)
            return std::nullopt;
        return Undo{group, name, *action, t->from, a.instance};
    }
    return std::nullopt;
}

int EventLogModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_entries.size()); }
int EventLogModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogEntry &e = m_entries[std::size_t(index.row())];
    switch (role) {
    case KindRole: return int(e.kind);
    case WallMsRole: return qlonglong(e.wallMs);
    case SubjectRole: return e.subject;
    case ExportRole:
        return index.column() == Time ? QDateTime::fromMSecsSinceEpoch(e.wallMs).toString(Qt::ISODateWithMs)
                                      : QVariant();
    case Qt::ToolTipRole: return index.column() == What ? e.what : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time: return clockText(e.wallMs);
        case Kind: return kindLabel(e.kind);
        case Subject: return e.subject;
        case What: return e.what;
        case By: return e.by;
        }
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char *const titles[ColumnCount] = {"Time", "Kind", "Service or group", "What", "By"};
    return QString::fromLatin1(titles[section]);
}

EventFilterModel::EventFilterModel(QObject *parent) : QSortFilterProxyModel(parent) {}

void EventFilterModel::setSubject(const QString &text)
{
    m_subject = text.trimmed();
    invalidateFilter();
}

void EventFilterModel::setKind(std::optional<LogEntry::Kind> kind)
{
    m_kind = kind;
    invalidateFilter();
}

void EventFilterModel::setSince(std::int64_t wallMs)
{
    m_since = wallMs;
    invalidateFilter();
}

bool EventFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_kind && i.data(EventLogModel::KindRole).toInt() != int(*m_kind))
        return false;
    if (m_since > 0 && i.data(EventLogModel::WallMsRole).toLongLong() < m_since)
        return false;
    return m_subject.isEmpty() || i.data(EventLogModel::SubjectRole).toString().contains(m_subject, Qt::CaseInsensitive);
}

void exportCsv(const QAbstractItemModel &model, QIODevice &out)
{
    QStringList line;
    for (int c = 0; c < model.columnCount(); ++c)
        line << csvField(model.headerData(c, Qt::Horizontal).toString());
    out.write((line.join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8());
    for (int r = 0; r < model.rowCount(); ++r) {
        line.clear();
        for (int c = 0; c < model.columnCount(); ++c)
        {
            const QModelIndex cell = model.index(r, c);
            const QVariant exported = cell.data(EventLogModel::ExportRole);
            line << csvField(exported.isValid() ? exported.toString() : cell.data().toString());
        }
        out.write((line.join(QLatin1Char(',')) + QStringLiteral("\r\n")).toUtf8());
    }
}

} // namespace bb::ui
