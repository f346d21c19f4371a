// The services table: one row per breaker, the figures of DashboardState.
// Updates touch only the rows whose figures changed. Sorting uses the raw
// values (SortRole); the filter proxy matches name or group and a state.
#pragma once

#include "dashboardstate.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

namespace bb::ui {

class ServiceTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Service, Group, State, FailureRate, SlowRate, RequestsPerS, P50, P99, RejectedPerS, Fallbacks,
        TimeInState, NextTrial, Permits, ColumnCount
    };
    enum Role { SortRole = Qt::UserRole + 1, StateRole, NameRole };

    explicit ServiceTableModel(const DashboardState &state, QObject *parent = nullptr);

    // After state.update(): the changed rows (or a full reset).
    void refresh(const std::vector<int> &changedRows);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const DashboardState &m_state;
    int m_rows = 0;
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
