#include "twolevelmodel.h"

namespace bb::ui {

QModelIndex TwoLevelModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row()) : kOuter);
}

QModelIndex TwoLevelModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || isOuter(child))
        return {};
    return createIndex(outerRowOf(child), 0, kOuter);
}

int TwoLevelModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return outerRows();
    return isOuter(parent) && parent.column() == 0 ? innerRows(parent.row()) : 0;
}

} // namespace bb::ui
