#include "statebadge.h"

#include "theme.h"

#include <QPainter>

namespace bb::ui {

StateBadgeDelegate::StateBadgeDelegate(int stateRole, QObject *parent, int dimmedRole, int outlinedRole)
    : QStyledItemDelegate(parent), m_role(stateRole), m_dimmedRole(dimmedRole), m_outlinedRole(outlinedRole)
{
}

void StateBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant state = index.data(m_role);
    if (!state.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem plain = option;
    plain.text.clear();
    initStyleOption(&plain, index);
    plain.text.clear();
    option.widget->style()->drawControl(QStyle::CE_ItemViewItem, &plain, painter, option.widget);
    QColor c = stateColor(BreakerState(state.toInt()));
    if (m_dimmedRole >= 0 && index.data(m_dimmedRole).toBool())
        c.setAlpha(90);
    const QString text = index.data().toString();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const int w = option.fontMetrics.horizontalAdvance(text) + 14;
    const QRect badge(option.rect.left() + 4, option.rect.center().y() - option.fontMetrics.height() / 2 - 1, w,
                      option.fontMetrics.height() + 2);
    const bool outlined = m_outlinedRole >= 0 && index.data(m_outlinedRole).toBool();
    painter->setPen(outlined ? QPen(c, 1.5) : QPen(Qt::NoPen));
    painter->setBrush(outlined ? option.palette.base() : QBrush(c));
    painter->drawRoundedRect(QRectF(badge).adjusted(0.75, 0.75, -0.75, -0.75), badge.height() / 2.0,
                             badge.height() / 2.0);
    painter->setPen(outlined ? c : QColor(Qt::white));
    painter->drawText(badge, Qt::AlignCenter, text);
    painter->restore();
}

QSize StateBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize s = QStyledItemDelegate::sizeHint(option, index);
    return {s.width() + 18, s.height() + 2};
}

} // namespace bb::ui
