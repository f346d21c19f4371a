#include "servicesview.h"

#include "filterrow.h"
#include "grouptreemodel.h"
#include "servicetablemodel.h"
#include "statebadge.h"
#include "tileview.h"

#include <QAction>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include <numeric>
#include <vector>

namespace bb::ui {

ServicesView::ServicesView(const DashboardState &state, QWidget *parent) : QWidget(parent), m_state(state)
{
    m_serviceModel = new ServiceTableModel(m_state, this);
    m_serviceFilter = new ServiceFilterModel(this);
    m_serviceFilter->setSourceModel(m_serviceModel);
    m_groupModel = new GroupTreeModel(this);

    m_table = new QTreeView;
    m_table->setModel(m_serviceFilter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ServiceTableModel::Service, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setItemDelegateForColumn(
        ServiceTableModel::State, new StateBadgeDelegate(ServiceTableModel::StateRole, this, ServiceTableModel::DimmedRole,
                                                      ServiceTableModel::OutlinedRole));
    m_table->setUniformRowHeights(true);
    m_table->setAllColumnsShowFocus(true);
    m_table->header()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setWordWrap(false);
    m_tiles = new TileView(m_state);
    m_views = new QStackedWidget;
    m_views->addWidget(m_table);
    m_views->addWidget(m_tiles);
    auto *services = new QWidget;
    auto *servicesLayout = new QVBoxLayout(services);
    servicesLayout->setContentsMargins(0, 0, 0, 0);
    servicesLayout->addWidget(buildFilters());
    servicesLayout->addWidget(m_views);

    m_groups = new QTreeView;
    m_groups->setModel(m_groupModel);
    m_groups->setItemDelegateForColumn(GroupTreeModel::State, new StateBadgeDelegate(GroupTreeModel::StateRole, this));
    m_groups->setContextMenuPolicy(Qt::CustomContextMenu);
    m_groups->header()->setStretchLastSection(true);
    showFleet(false);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(services);
    split->addWidget(m_groups);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ServicesView::selectionChanged);
    // A reset (instances came or went) collapses the tree and shows every column: both come back.
    connect(m_serviceFilter, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_expanded.clear();
        for (int r = 0; r < m_serviceFilter->rowCount(); ++r)
            if (m_table->isExpanded(m_serviceFilter->index(r, 0)))
                m_expanded << m_serviceFilter->index(r, 0).data(ServiceTableModel::NameRole).toString();
    });
    connect(m_serviceFilter, &QAbstractItemModel::modelReset, this, [this] {
        showFleet(m_fleet);
        for (int r = 0; r < m_serviceFilter->rowCount(); ++r) {
            const QModelIndex i = m_serviceFilter->index(r, 0);
            if (m_expanded.contains(i.data(ServiceTableModel::NameRole).toString()))
                m_table->expand(i);
        }
    });
    connect(m_groups->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &i) {
        if (!i.isValid())
            return;
        const QString name = i.siblingAtColumn(0).data(GroupTreeModel::NameRole).toString();
        if (i.data(GroupTreeModel::IsGroupRole).toBool())
            selectGroup(name);
        else
            selectServices({name});
    });
    connect(m_tiles, &TileView::serviceClicked, this, [this](const QString &name, Qt::KeyboardModifiers mods) {
        QStringList names = mods & Qt::ControlModifier ? selectedNames() : QStringList();
        if (names.contains(name))
            names.removeAll(name);
        else
            names << name;
        selectServices(names);
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QStringList names = selectedNames();
        if (!names.isEmpty())
            emit contextMenuRequested(names, m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_tiles, &TileView::contextMenuRequested, this, [this](const QString &name, const QPoint &global) {
        if (!selectedNames().contains(name))
            selectServices({name});
        emit contextMenuRequested(selectedNames(), global);
    });
    connect(m_groups, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex i = m_groups->indexAt(pos);
        if (i.isValid() && i.data(GroupTreeModel::IsGroupRole).toBool()) {
            selectGroup(i.siblingAtColumn(0).data(GroupTreeModel::NameRole).toString());
            emit contextMenuRequested({}, m_groups->viewport()->mapToGlobal(pos));
        }
    });

    // Sorting and state filters follow the figures once a second, not at every update.
    m_resort.setInterval(1000);
    connect(&m_resort, &QTimer::timeout, this, [this] {
        if (m_views->currentWidget() == m_table)
            m_serviceFilter->invalidate();
    });
    m_resort.start();
}

QWidget *ServicesView::buildFilters()
{
    const FilterRow row = makeFilterRow(QStringLiteral("Filter services or groups (Ctrl+F)"));
    QLineEdit *filter = row.text;
    auto *focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    focusFilter->setShortcutContext(Qt::WindowShortcut);
    connect(focusFilter, &QAction::triggered, filter, [filter] { filter->setFocus(); });
    addAction(focusFilter);
    auto *states = new QComboBox;
    states->addItems({QStringLiteral("All states"), QStringLiteral("Not closed"), QStringLiteral("Open"),
                      QStringLiteral("Half-open"), QStringLiteral("Forced or disabled")});
    row.layout->addWidget(states);
    connect(filter, &QLineEdit::textChanged, m_serviceFilter, &ServiceFilterModel::setText);
    connect(states, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_serviceFilter->setStateFilter(ServiceFilterModel::StateFilter(i)); });
    return row.widget;
}

QWidget *ServicesView::firstPainted() const { return m_table->viewport(); }

QStringList ServicesView::selectedNames() const
{
    QStringList names;
    if (!m_target.group)
        for (const auto &n : m_target.names)
            names << QString::fromStdString(n);
    return names;
}

void ServicesView::refresh(const std::vector<int> &changed, const EngineSnapshot &snapshot)
{
    if ((m_state.fleet() != nullptr) != m_fleet)
        showFleet(m_state.fleet() != nullptr);
    m_serviceModel->refresh(changed);
    if (m_views->currentWidget() == m_tiles)
        m_tiles->refresh(changed);
    m_groupModel->refresh(snapshot, m_state.fleet());
    if (m_state.rowsReplaced() || m_state.instancesReplaced())
        fitColumns();
    else
        widenStateColumns(changed);
}

void ServicesView::clear()
{
    m_serviceModel->refresh({});
    m_tiles->refresh({});
    m_groupModel->refresh(EngineSnapshot{}, nullptr);
    showFleet(false);
}

void ServicesView::showFleet(bool fleet)
{
    m_fleet = fleet;
    m_table->setRootIsDecorated(fleet);
    m_table->setColumnHidden(ServiceTableModel::Instances, !fleet);
    m_groups->setColumnHidden(GroupTreeModel::Instances, !fleet);
}

void ServicesView::fitColumns()
{
    m_groups->expandAll();
    for (int c = 0; c < ServiceTableModel::ColumnCount; ++c)
        m_table->resizeColumnToContents(c);
    // Room for the widest figures a column will show, not just today's.
    const QFontMetrics fm = m_table->fontMetrics();
    const std::pair<int, const char *> widest[] = {{ServiceTableModel::Instances, "reconnecting in 59 s ≠"},
                                                   {ServiceTableModel::FailureRate, "100.0% / 100.0%"},
                                                   {ServiceTableModel::SlowRate, "100.0% / 100.0%"},
                                                   {ServiceTableModel::P50, "9999 ms"},
                                                   {ServiceTableModel::P99, "9999 ms"},
                                                   {ServiceTableModel::TimeInState, "59 min 59 s"},
                                                   {ServiceTableModel::NextTrial, "59 min 59 s"}};
    for (const auto &[column, text] : widest)
        m_table->setColumnWidth(column, std::max(m_table->columnWidth(column),
                                                 fm.horizontalAdvance(QString::fromUtf8(text)) + 16));
    m_groups->resizeColumnToContents(0);
    m_groups->resizeColumnToContents(GroupTreeModel::Instances);
    std::vector<int> all(m_state.rows().size());
    std::iota(all.begin(), all.end(), 0);
    widenStateColumns(all);
}

void ServicesView::widenStateColumns(const std::vector<int> &rows)
{
    // A breaker below full enforcement: room for its longest state label,
    // in the table and in the groups' tree, which shows members' states too.
    // Only ever wider: a column does not jump about while traffic flows.
    const QFontMetrics fm = m_table->fontMetrics();
    int width = 0;
    for (int i : rows) {
        if (i < 0 || std::size_t(i) >= m_state.rows().size())
            continue;
        const double enforcement = m_state.rows()[std::size_t(i)].enforcement;
        if (enforcement < 100.0)
            width = std::max(width, fm.horizontalAdvance(stateLabel(BreakerState::HalfOpen, enforcement)) + 24);
    }
    if (width > m_table->columnWidth(ServiceTableModel::State))
        m_table->setColumnWidth(ServiceTableModel::State, width);
    if (width > m_groups->columnWidth(GroupTreeModel::State))
        m_groups->setColumnWidth(GroupTreeModel::State, width);
}

void ServicesView::showTiles(bool tiles)
{
    m_views->setCurrentWidget(tiles ? static_cast<QWidget *>(m_tiles) : m_table);
    if (tiles)
        m_tiles->refresh({});
    emit viewChanged(tiles);
}

void ServicesView::selectServices(const QStringList &names)
{
    m_target = {false, {}, {}};
    for (const QString &n : names)
        m_target.names.push_back(n.toStdString());
    m_tiles->setSelected(names);
    const QSignalBlocker block(m_table->selectionModel());
    m_table->selectionModel()->clearSelection();
    for (int r = 0; r < m_serviceFilter->rowCount(); ++r) {
        const QModelIndex i = m_serviceFilter->index(r, 0);
        if (names.contains(i.data(ServiceTableModel::NameRole).toString()))
            m_table->selectionModel()->select(i, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    if (names.size() == 1)
        emit serviceChosen(names.front());
}

void ServicesView::selectInstance(const QString &service, const QString &instance)
{
    for (int r = 0; r < m_serviceFilter->rowCount(); ++r) {
        const QModelIndex parent = m_serviceFilter->index(r, 0);
        if (parent.data(ServiceTableModel::NameRole).toString() != service)
            continue;
        m_table->expand(parent);
        for (int c = 0; c < m_serviceFilter->rowCount(parent); ++c) {
            const QModelIndex i = m_serviceFilter->index(c, 0, parent);
            if (i.data(ServiceTableModel::InstanceRole).toString() == instance)
                m_table->selectionModel()->setCurrentIndex(
                    i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows); // selectionChanged() follows
        }
    }
}

void ServicesView::selectGroup(const QString &name)
{
    m_target = {true, {name.toStdString()}, {}};
    m_tiles->setSelected({});
    emit groupChosen(name);
}

void ServicesView::selectionChanged()
{
    // One entry a service; an instance's row narrows its service to that
    // instance, unless the service's own row is selected too.
    m_target = {false, {}, {}};
    QStringList names;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    for (const QModelIndex &i : rows) {
        const QString name = i.data(ServiceTableModel::NameRole).toString();
        const std::string instance = i.data(ServiceTableModel::InstanceRole).toString().toStdString();
        const auto n = std::size_t(names.indexOf(name));
        if (!names.contains(name)) {
            names << name;
            m_target.names.push_back(name.toStdString());
            m_target.scopes.push_back(instance.empty() ? control::Scope{} : control::Scope{{instance}});
            continue;
        }
        std::vector<std::string> &scope = m_target.scopes[n].instances;
        if (instance.empty())
            scope.clear();
        else if (!scope.empty() && std::find(scope.begin(), scope.end(), instance) == scope.end())
            scope.push_back(instance);
    }
    m_tiles->setSelected(names);
    const QModelIndex current = m_table->currentIndex();
    if (rows.size() == 1)
        choose(rows.front());
    else if (current.isValid() && m_table->selectionModel()->isRowSelected(current.row(), current.parent()))
        choose(current.siblingAtColumn(0));
}

void ServicesView::choose(const QModelIndex &row)
{
    const QString name = row.data(ServiceTableModel::NameRole).toString();
    const QString instance = row.data(ServiceTableModel::InstanceRole).toString();
    if (instance.isEmpty())
        emit serviceChosen(name);
    else
        emit instanceChosen(name, instance);
}

} // namespace bb::ui
