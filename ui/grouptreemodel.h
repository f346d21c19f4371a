// The groups panel: each group with its state and "k of n members open",
// its members as children. Rebuilt only when the groups or their members
// change; otherwise the changed rows are reported.
#pragma once

#include "core/snapshot.h"

#include <QAbstractItemModel>

namespace bb::ui {

class GroupTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, State, Members, ColumnCount };
    enum Role { StateRole = Qt::UserRole + 1, IsGroupRole, NameRole };

    explicit GroupTreeModel(QObject *parent = nullptr);
    void refresh(const EngineSnapshot &snapshot);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Member {
        std::string name;
        BreakerState state = BreakerState::Closed;
        double failureRate = 0;
        bool operator==(const Member &) const = default;
    };
    struct Group {
        std::string name;
        BreakerState state = BreakerState::Closed;
        std::uint32_t open = 0;
        double threshold = 0;
        std::vector<Member> members;
        bool operator==(const Group &) const = default;
    };
    static constexpr quintptr kTop = ~quintptr(0); // internal id of group rows

    std::vector<Group> m_groups;
};

} // namespace bb::ui
