// The groups panel: each group with its state and "k of n members open",
// its members as children; over a fleet, on how many instances each is in
// its worst state. Rebuilt only when the groups or their members change;
// otherwise the changed rows are reported.
#pragma once

#include "control/fleetview.h"
#include "core/snapshot.h"
#include "twolevelmodel.h"

namespace bb::ui {

class GroupTreeModel : public TwoLevelModel {
    Q_OBJECT
public:
    enum Column { Name, State, Instances, Members, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1, IsGroupRole, NameRole };

    explicit GroupTreeModel(QObject *parent = nullptr);
    // fleet: null for one engine.
    void refresh(const EngineSnapshot &snapshot, const control::FleetView *fleet = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    int outerRows() const override { return int(m_groups.size()); }
    int innerRows(int outerRow) const override { return int(m_groups[std::size_t(outerRow)].members.size()); }

private:
    struct Member {
        std::string name;
        BreakerState state = BreakerState::Closed;
        double failureRate = 0;
        QString fleet; // "open on 2 of 3", and its tooltip
        QString fleetTip;
        double enforcement = 100.0;
        bool operator==(const Member &) const = default;
    };
    struct Group {
        std::string name;
        BreakerState state = BreakerState::Closed;
        std::uint32_t open = 0;
        double threshold = 0;
        std::vector<Member> members;
        QString fleet;
        QString fleetTip;
        bool operator==(const Group &) const = default;
    };
    std::vector<Group> m_groups;
};

} // namespace bb::ui
