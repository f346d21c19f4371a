#include "grouptreemodel.h"

#include "dashboardstate.h"
#include "fleettext.h"
#include "theme.h"

#include <tuple>

namespace bb::ui {

namespace {
// What the Instances column says of a breaker or group in this state: text and tooltip.
std::pair<QString, QString> fleetTexts(const control::FleetView *fleet,
                                       const std::unordered_map<std::string, control::FleetTarget> *targets,
                                       const std::string &name, BreakerState state)
{
    if (!fleet)
        return {};
    const auto it = targets->find(name);
    if (it == targets->end())
        return {};
    const control::FleetTarget &t = it->second;
    return {control::fleetStateText(state, t) + (t.configDiffers ? QLatin1Char(' ') + kDiffersMark : QString()),
            instanceStatesTip(*fleet, t)};
}
} // namespace

GroupTreeModel::GroupTreeModel(QObject *parent) : TwoLevelModel(parent) {}

void GroupTreeModel::refresh(const EngineSnapshot &snapshot, const control::FleetView *fleet)
{
    std::vector<Group> groups;
    for (const GroupSnapshot &g : snapshot.groups) {
        Group group{g.name, g.state, g.membersOpen, g.threshold, {}, {}, {}};
        std::tie(group.fleet, group.fleetTip) = fleetTexts(fleet, fleet ? &fleet->groups : nullptr, g.name, g.state);
        for (const std::string &m : g.members) {
            const BreakerSnapshot *b = snapshot.breaker(m);
            const BreakerState state = b ? b->state : BreakerState::Closed;
            const auto [text, tip] = fleetTexts(fleet, fleet ? &fleet->breakers : nullptr, m, state);
            group.members.push_back({m, state, b ? b->failureRate : 0.0, text, tip, b ? b->policy.enforcement : 100.0});
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

int GroupTreeModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant GroupTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool isGroup = isOuter(index);
    const Group &g = m_groups[std::size_t(isGroup ? index.row() : outerRowOf(index))];
    if (role == IsGroupRole)
        return isGroup;
    const Member *m = isGroup ? nullptr : &g.members[std::size_t(index.row())];
    const BreakerState state = isGroup ? g.state : m->state;
    if (role == StateRole)
        return int(state);
    if (role == NameRole)
        return QString::fromStdString(isGroup ? g.name : m->name);
    if (role == Qt::ToolTipRole && index.column() == Instances)
        return isGroup ? g.fleetTip : m->fleetTip;
    if (role == Qt::ForegroundRole && index.column() == Instances && state != BreakerState::Closed)
        return stateColor(state);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name: return QString::fromStdString(isGroup ? g.name : m->name);
    case State: return isGroup ? stateLabel(state) : stateLabel(state, m->enforcement);
    case Instances: return isGroup ? g.fleet : m->fleet;
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
    case Instances: return QStringLiteral("Instances");
    case Members: return QStringLiteral("Members");
    }
    return {};
}

} // namespace bb::ui
