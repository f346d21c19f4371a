// The event log: transitions with their causes, operator actions, policy
// edits, configuration reloads and, over a fleet, what each instance
// answered to a command, newest last. The filter proxy narrows it
// by service, kind and age; exportCsv writes what the filter lets through.
// An operator action can be undone: undoOf() names the command that puts the
// target back in the state it left.
#pragma once

#include "core/operatorcommand.h"
#include "core/transitionevent.h"
#include "persist/auditlog.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <deque>
#include <optional>

class QIODevice;

namespace bb::ui {

struct LogEntry {
    enum class Kind { Transition, Operator, Policy, Reload, Outcome };
    Kind kind = Kind::Transition;
    std::int64_t wallMs = 0;
    QString subject; // a service, "group NAME", or the configuration file
    QString what;
    QString by;      // actor (origin)
    std::optional<TransitionEvent> transition;
    std::optional<persist::AuditEntry> audit;
};

QString kindLabel(LogEntry::Kind kind);

// What undoes an operator action: the target and the command.
struct Undo {
    bool group = false;
    std::string target;
    OperatorAction action = OperatorAction::Reset;
    BreakerState restores = BreakerState::Closed;
    std::string instance; // over a fleet: the one instance it was done on
};

class EventLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Subject, What, By, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, WallMsRole, SubjectRole, ExportRole };
    static constexpr std::size_t kKept = 5000;

    explicit EventLogModel(QObject *parent = nullptr);

    void addTransition(const TransitionEvent &event);
    void addAudit(const persist::AuditEntry &entry);
    // What one instance of a fleet answered to a command.
    void addOutcome(std::int64_t wallMs, const QString &subject, const QString &what, const QString &by);
    void clear();
    const LogEntry &entry(int row) const { return m_entries[std::size_t(row)]; }
    std::optional<Undo> undoOf(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void append(LogEntry entry);
    std::deque<LogEntry> m_entries;
};

class EventFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit EventFilterModel(QObject *parent = nullptr);
    void setSubject(const QString &text);
    void setKind(std::optional<LogEntry::Kind> kind);
    // Entries at or after this wall time (ms since the epoch); 0: all.
    void setSince(std::int64_t wallMs);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_subject;
    std::optional<LogEntry::Kind> m_kind;
    std::int64_t m_since = 0;
};

// The rows and columns of a model as CSV (RFC 4180 quoting), with a header
// line; a cell's ExportRole, when it has one, instead of its text.
void exportCsv(const QAbstractItemModel &model, QIODevice &out);

QString clockText(std::int64_t wallMs);

} // namespace bb::ui
