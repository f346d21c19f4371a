// The event log dock: transitions and operator actions in time order, with
// filters by service, kind and age, export as CSV, and undo of an operator
// action from its row (left to whoever owns the actions).
#pragma once

#include <QDockWidget>

#include <functional>

class QTableView;

namespace bb::ui {

class DashboardLink;
class EventFilterModel;
class EventLogModel;

class EventLogDock : public QDockWidget {
    Q_OBJECT
public:
    // now: the engine's wall-clock time in ms (a replay's events are as old as its recording).
    EventLogDock(DashboardLink &link, std::function<std::int64_t()> now, QWidget *parent = nullptr);

    EventLogModel *model() const { return m_model; }
    // Empties the log and fills it from the engine's history, then keeps it going.
    void reload();
    // Writes the rows the filters let through; false with the reason when it cannot.
    bool exportTo(const QString &path, QString *error);
    int shownRows() const;

signals:
    void exportRequested();
    void undoRequested(int logRow); // a source row
    void loaded();

private:
    QWidget *buildFilters();

    DashboardLink &m_link;
    std::function<std::int64_t()> m_now;
    EventLogModel *m_model;
    EventFilterModel *m_filter;
    QTableView *m_view;
    quint64 m_loads = 0; // the last reload asked for: older answers are dropped
};

} // namespace bb::ui
