// Paints a state as a coloured, rounded badge in table and tree cells whose
// model gives the state under StateRole (a cell without one is painted as
// text); faded where the model's dimmed role says so (an instance not live),
// outlined where its outlined role does (a state not enforced on every call).
#pragma once

#include <QStyledItemDelegate>

namespace bb::ui {

class StateBadgeDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    StateBadgeDelegate(int stateRole, QObject *parent = nullptr, int dimmedRole = -1, int outlinedRole = -1);
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_role;
    int m_dimmedRole;
    int m_outlinedRole;
};

} // namespace bb::ui
