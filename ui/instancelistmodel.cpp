#include "instancelistmodel.h"

#include "control/trafficsample.h"
#include "fleettext.h"
#include "sharedstatetext.h"
#include "theme.h"

#include <QPalette>

#include <algorithm>

namespace bb::ui {

namespace {
QColor linkColor(control::LinkStatus::State s)
{
    switch (s) {
    case control::LinkStatus::State::Connected: return stateColor(BreakerState::Closed);
    case control::LinkStatus::State::Connecting:
    case control::LinkStatus::State::Reconnecting: return stateColor(BreakerState::HalfOpen);
    case control::LinkStatus::State::Failed: return stateColor(BreakerState::Open);
    }
    return {};
}
} // namespace

InstanceListModel::InstanceListModel(QObject *parent) : QAbstractTableModel(parent) {}

void InstanceListModel::refresh(const control::FleetView *fleet)
{
    std::vector<Line> lines;
    for (const control::InstanceView &in : fleet ? fleet->instances : std::vector<control::InstanceView>()) {
        Line line{QString::fromStdString(in.name), in.url, in.link, in.live(), -1, 0, {}};
        if (in.observation)
            line.shared = in.observation->sharedState;
        if (in.observation && in.observation->engine) {
            const auto &breakers = in.observation->engine->breakers;
            line.total = int(breakers.size());
            line.open = int(std::count_if(breakers.begin(), breakers.end(),
                                          [](const BreakerSnapshot &b) { return isOpenLike(b.state); }));
        }
        lines.push_back(std::move(line));
    }
    const bool sameRows = lines.size() == m_lines.size() &&
                          std::equal(lines.begin(), lines.end(), m_lines.begin(),
                                     [](const Line &a, const Line &b) { return a.name == b.name; });
    if (!sameRows) {
        beginResetModel();
        m_lines = std::move(lines);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i] == m_lines[i])
            continue;
        m_lines[i] = std::move(lines[i]);
        emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
    }
}

int InstanceListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_lines.size()); }
int InstanceListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant InstanceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &l = m_lines[std::size_t(index.row())];
    if (role == LiveRole)
        return l.live;
    if (role == Qt::ForegroundRole) {
        if (index.column() == Link)
            return linkColor(l.link.state);
        // What an instance that is not live said of Redis is old: greyed like the rest.
        if (index.column() == SharedState && l.live && l.shared)
            return sharedStateColor(l.shared->link);
        return l.live ? QVariant() : QVariant(QPalette().color(QPalette::Disabled, QPalette::Text));
    }
    if (role == Qt::ToolTipRole && (index.column() == Link || index.column() == Problem))
        return l.link.message.isEmpty() ? QVariant() : QVariant(l.link.message);
    if (role == Qt::ToolTipRole && index.column() == SharedState)
        return l.shared ? QVariant(sharedStateTip(*l.shared)) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Instance: return l.name;
    case Url: return l.url;
    case Link: return linkText(l.link);
    case Problem:
        if (l.link.problem.isEmpty())
            return QStringLiteral("–");
        return l.link.message.isEmpty() ? l.link.problem : QStringLiteral("%1: %2").arg(l.link.problem, l.link.message);
    case SharedState: return sharedStateCell(l.shared);
    case Breakers:
        return l.open < 0 ? QStringLiteral("–") : QStringLiteral("%1 of %2 open").arg(l.open).arg(l.total);
    }
    return {};
}

QVariant InstanceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Instance: return QStringLiteral("Instance");
    case Url: return QStringLiteral("URL");
    case Link: return QStringLiteral("Link");
    case Problem: return QStringLiteral("Problem");
    case Breakers: return QStringLiteral("Breakers");
    case SharedState: return QStringLiteral("Shared state");
    }
    return {};
}

} // namespace bb::ui
