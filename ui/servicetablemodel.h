// The services table: one row per breaker, the figures of DashboardState.
// Over a fleet each row is the fleet's and has one child row per instance
// with that instance's own figures, and the Instances column says on how
// many the worst state is. Updates touch only the rows whose figures
// changed. Sorting uses the raw values (SortRole); the filter proxy matches
// name or group and a state, and an instance's row follows its service's.
#pragma once

#include "dashboardstate.h"
#include "twolevelmodel.h"

#include <QSortFilterProxyModel>

namespace bb::ui {

class ServiceTableModel : public TwoLevelModel {
    Q_OBJECT
public:
    enum Column {
        Service, Group, State, Instances, FailureRate, SlowRate, RequestsPerS, P50, P99, RejectedPerS, Fallbacks,
        TimeInState, NextTrial, Permits, ColumnCount
    };
    // NameRole: the service (of an instance's row too); InstanceRole: the
    // instance of an instance's row, else empty; DimmedRole: an instance
    // that is not live, shown greyed.
    // OutlinedRole: the state is not enforced on every call (enforcement below 100%).
    enum Role { SortRole = Qt::UserRole + 1, StateRole, NameRole, InstanceRole, DimmedRole, OutlinedRole };

    explicit ServiceTableModel(const DashboardState &state, QObject *parent = nullptr);

    // After state.update(): the changed rows (or a full reset).
    void refresh(const std::vector<int> &changedRows);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    int outerRows() const override { return m_rows; }
    int innerRows(int) const override { return m_instances; }

private:
    QVariant figures(const ServiceRow &r, int column, int role) const;
    QVariant fleetData(int row, int role) const;
    QVariant instanceData(int row, int instance, int column, int role) const;

    const DashboardState &m_state;
    int m_rows = 0;
    int m_instances = 0;
};

class ServiceFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class StateFilter { All, NotClosed, Open, HalfOpen, Forced };
    explicit ServiceFilterModel(QObject *parent = nullptr);
    void setText(const QString &text);
    void setStateFilter(StateFilter filter);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    StateFilter m_states = StateFilter::All;
};

} // namespace bb::ui
