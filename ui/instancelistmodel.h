// The instances of a fleet, one row each: its name and URL, how its link
// fares (the problem and the message as the instance or the network said
// it), how many of its breakers are open, and how its own link to the
// cluster's shared state stands. An instance that is not live is greyed. Reset only when instances come or go; otherwise the rows that
// changed are reported.
#pragma once

#include "control/fleetview.h"
#include "control/sharedstatus.h"

#include <QAbstractTableModel>

#include <optional>

namespace bb::ui {

class InstanceListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Instance, Link, SharedState, Breakers, Problem, Url, ColumnCount };
    enum Role { LiveRole = Qt::UserRole + 1 };

    explicit InstanceListModel(QObject *parent = nullptr);
    // fleet: null when there is none (no rows).
    void refresh(const control::FleetView *fleet);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Line {
        QString name;
        QString url;
        control::LinkStatus link;
        bool live = false;
        int open = -1; // of total; -1: nothing said yet
        int total = 0;
        std::optional<control::SharedStateStatus> shared; // as it said last
        bool operator==(const Line &) const = default;
    };
    std::vector<Line> m_lines;
};

} // namespace bb::ui
