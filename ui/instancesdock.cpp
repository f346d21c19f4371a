#include "instancesdock.h"

#include "instancelistmodel.h"

#include <QHeaderView>
#include <QTableView>

namespace bb::ui {

InstancesDock::InstancesDock(QWidget *parent) : QDockWidget(QStringLiteral("Instances"), parent)
{
    setObjectName(QStringLiteral("instancesDock"));
    m_model = new InstanceListModel(this);
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->verticalHeader()->setVisible(false);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    setWidget(m_view);
    hide();
}

void InstancesDock::refresh(const control::FleetView *fleet)
{
    const int rows = m_model->rowCount();
    m_model->refresh(fleet);
    if (rows != m_model->rowCount()) {
        m_view->resizeColumnsToContents();
        // Why Redis is down can be long: elided here, whole in the tooltip.
        constexpr int kSharedStateWidth = 220;
        if (m_view->columnWidth(InstanceListModel::SharedState) > kSharedStateWidth)
            m_view->setColumnWidth(InstanceListModel::SharedState, kSharedStateWidth);
    }
    if ((fleet != nullptr) != m_fleet) {
        m_fleet = fleet != nullptr;
        setVisible(m_fleet);
    }
}

} // namespace bb::ui
