// Paints a state as a coloured, rounded badge in table and tree cells whose
// model gives the state under StateRole.
#pragma once

#include <QStyledItemDelegate>

namespace bb::ui {

class StateBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    StateBadgeDelegate(int stateRole, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace bb::ui
