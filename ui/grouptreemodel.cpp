#include "grouptreemodel.h"

#include "dashboardstate.h"

namespace bb::ui {

GroupTreeModel::GroupTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void GroupTreeModel::refresh(const EngineSnapshot &snapshot)
{
    std::vector<Group> groups;
    for (const GroupSnapshot &g : snapshot.groups) {
        Group group{g.name, g.state, g.membersOpen, g.threshold, {}};
        for (const std::string &m : g.members) {
            const BreakerSnapshot *b = snapshot.breaker(m);
            group.members.push_back({m, b ? b->state : BreakerState::Closed, b ? b->failureRate : 0.0});
        }
        groups.push_back(std::move(group));
    }
    bool sameShape = groups.size() == m_groups.size();
    for (std::size_t i = 0; sameShape && i < groups.size(); ++i) {
        sameShape = groups[i].name == m_groups[i].name && groups[i].members.size() == m_groups[i].members.size();
        for (std::size_t j = 0; sameShape && j < groups[i].members.size(); ++j)
            sameShape = groups[i].members[j].name == m_groups[i].members[j].name;
    }
    if (!sameShape) {
        beginResetModel();
        m_groups = std::move(groups);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (groups[i] == m_groups[i])
            continue;
        const QModelIndex top = index(int(i), 0);
        const bool membersChanged = groups[i].members != m_groups[i].members;
        m_groups[i] = std::move(groups[i]);
        emit dataChanged(top, index(int(i), ColumnCount - 1));
        if (membersChanged && !m_groups[i].members.empty())
            emit dataChanged(index(0, 0, top), index(int(m_groups[i].members.size()) - 1, ColumnCount - 1, top));
    }
}

QModelIndex GroupTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row()) : kTop);
}

QModelIndex GroupTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTop)
        return {};
    return createIndex(int(child.internalId()), 0, kTop);
}

int GroupTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != kTop || parent.column() != 0)
        return 0;
    return int(m_groups[std::size_t(parent.row())].members.size());
}

int GroupTreeModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant GroupTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool isGroup = index.internalId() == kTop;
    const Group &g = m_groups[std::size_t(isGroup ? index.row() : int(index.internalId()))];
    if (role == IsGroupRole)
        return isGroup;
    const Member *m = isGroup ? nullptr : &g.members[std::size_t(index.row())];
    const BreakerState state = isGroup ? g.state : m->state;
    if (role == StateRole)
        return int(state);
    if (role == NameRole)
        return QString::fromStdString(isGroup ? g.name : m->name);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name: return QString::fromStdString(isGroup ? g.name : m->name);
    case State: return stateLabel(state);
    case Members:
        if (isGroup)
            return QStringLiteral("%1 of %2 open (opens at %3%)")
                .arg(g.open)
                .arg(g.members.size())
                .arg(QString::number(g.threshold, 'f', 0));
        return QStringLiteral("failure rate %1%").arg(QString::number(m->failureRate, 'f', 1));
    }
    return {};
}

QVariant GroupTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return QStringLiteral("Group");
    case State: return QStringLiteral("State");
    case Members: return QStringLiteral("Members");
    }
    return {};
}

} // namespace bb::ui
