// The services as a table or as tiles, with their filters, and the groups
// tree beneath: what is shown, sorted and selected. Over a fleet the table
// expands each service into its instances and shows the Instances column.
// The selection is the target of the operator actions (an instance's row:
// that instance only); a context menu asked for on a selection is left to
// whoever owns the actions.
#pragma once

#include "actiondialog.h"
#include "dashboardstate.h"

#include <QTimer>
#include <QWidget>

class QStackedWidget;
class QTreeView;

namespace bb::ui {

class GroupTreeModel;
class ServiceFilterModel;
class ServiceTableModel;
class TileView;

class ServicesView : public QWidget {
    Q_OBJECT
public:
    explicit ServicesView(const DashboardState &state, QWidget *parent = nullptr);

    const ActionTarget &target() const { return m_target; }
    void selectServices(const QStringList &names);
    // A service's row of one instance, its service expanded.
    void selectInstance(const QString &service, const QString &instance);
    void selectGroup(const QString &name);
    void showTiles(bool tiles);
    // New figures: changed are the rows that moved.
    void refresh(const std::vector<int> &changed, const EngineSnapshot &snapshot);
    // The state was emptied (another engine): no rows until the next figures.
    void clear();
    ServiceTableModel *serviceModel() const { return m_serviceModel; }
    QTreeView *serviceTree() const { return m_table; }
    QTreeView *groupTree() const { return m_groups; }
    // Where the first paint of the window shows.
    QWidget *firstPainted() const;

signals:
    void serviceChosen(const QString &name);
    void instanceChosen(const QString &service, const QString &instance);
    void groupChosen(const QString &name);
    void viewChanged(bool tiles);
    // services: those selected, or empty for the group selected.
    void contextMenuRequested(const QStringList &services, const QPoint &globalPos);

private:
    QWidget *buildFilters();
    void selectionChanged();
    // Emits serviceChosen or instanceChosen for a row of the table.
    void choose(const QModelIndex &row);
    void fitColumns();
    void widenStateColumns(const std::vector<int> &rows);
    // The Instances column, the expanders and the instances' rows: only over a fleet.
    void showFleet(bool fleet);
    QStringList selectedNames() const;

    const DashboardState &m_state;
    ActionTarget m_target;
    ServiceTableModel *m_serviceModel;
    ServiceFilterModel *m_serviceFilter;
    GroupTreeModel *m_groupModel;
    QStackedWidget *m_views;
    QTreeView *m_table;
    TileView *m_tiles;
    QTreeView *m_groups;
    QTimer m_resort;
    bool m_fleet = false;
    QStringList m_expanded; // the services expanded while the rows are replaced
};

} // namespace bb::ui
