// Reading item models in tests: a cell's text, the row of a name.
#pragma once

#include <QAbstractItemModel>

namespace bb::testing {

inline QString cell(const QAbstractItemModel &m, int row, int column) { return m.index(row, column).data().toString(); }

// The first row (under parent) whose first column reads name, or -1.
inline int rowNamed(const QAbstractItemModel &m, const QString &name, const QModelIndex &parent = {})
{
    for (int r = 0; r < m.rowCount(parent); ++r)
        if (m.index(r, 0, parent).data().toString() == name)
            return r;
    return -1;
}

} // namespace bb::testing
