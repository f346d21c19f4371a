// The item models of two levels (rows, each with rows beneath it: the
// services with their instances, the groups with their members): indexes
// and parents, an inner row's internal id being its outer row's number.
#pragma once

#include <QAbstractItemModel>

namespace bb::ui {

class TwoLevelModel : public QAbstractItemModel {
public:
    using QAbstractItemModel::QAbstractItemModel;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;

protected:
    virtual int outerRows() const = 0;
    virtual int innerRows(int outerRow) const = 0;
    static bool isOuter(const QModelIndex &index) { return index.internalId() == kOuter; }
    // An inner row's outer row.
    static int outerRowOf(const QModelIndex &inner) { return int(inner.internalId()); }

private:
    static constexpr quintptr kOuter = ~quintptr(0);
};

} // namespace bb::ui
