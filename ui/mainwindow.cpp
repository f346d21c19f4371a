#include "mainwindow.h"

#include "detailpane.h"
#include "eventlogmodel.h"
#include "grouptreemodel.h"
#include "scenariobar.h"
#include "servicetablemodel.h"
#include "statebadge.h"
#include "theme.h"
#include "tileview.h"
#include "trayalerts.h"

#include <QComboBox>
#include <QEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace bb::ui {

MainWindow::MainWindow(DashboardLink &link, Theme *theme, std::optional<DemoInfo> demo, QWidget *parent)
    : QMainWindow(parent), m_link(link), m_theme(theme)
{
    setWindowTitle(demo ? QStringLiteral("Breakerboard — demo") : QStringLiteral("Breakerboard"));
    m_serviceModel = new ServiceTableModel(m_state, this);
    m_serviceFilter = new ServiceFilterModel(this);
    m_serviceFilter->setSourceModel(m_serviceModel);
    m_groupModel = new GroupTreeModel(this);
    m_logModel = new EventLogModel(this);
    m_logFilter = new EventFilterModel(this);
    m_logFilter->setSourceModel(m_logModel);

    m_table = new QTableView;
    m_table->setModel(m_serviceFilter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ServiceTableModel::Service, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setItemDelegateForColumn(ServiceTableModel::State,
                                      new StateBadgeDelegate(ServiceTableModel::StateRole, this));
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(24);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setWordWrap(false);
    m_tiles = new TileView(m_state);
    m_table->viewport()->installEventFilter(this);

    auto *filterRow = new QWidget;
    auto *filterLayout = new QHBoxLayout(filterRow);
    filterLayout->setContentsMargins(0, 0, 0, 0);
    auto *filter = new QLineEdit;
    filter->setPlaceholderText(QStringLiteral("Filter services or groups (Ctrl+F)"));
    filter->setClearButtonEnabled(true);
    auto *focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    connect(focusFilter, &QAction::triggered, filter, [filter] { filter->setFocus(); });
    addAction(focusFilter);
    auto *states = new QComboBox;
    states->addItems({QStringLiteral("All states"), QStringLiteral("Not closed"), QStringLiteral("Open"),
                      QStringLiteral("Half-open"), QStringLiteral("Forced or disabled")});
    filterLayout->addWidget(filter, 1);
    filterLayout->addWidget(states);
    connect(filter, &QLineEdit::textChanged, m_serviceFilter, &ServiceFilterModel::setText);
    connect(states, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_serviceFilter->setStateFilter(ServiceFilterModel::StateFilter(i)); });

    m_views = new QStackedWidget;
    m_views->addWidget(m_table);
    m_views->addWidget(m_tiles);
    auto *services = new QWidget;
    auto *servicesLayout = new QVBoxLayout(services);
    servicesLayout->setContentsMargins(0, 0, 0, 0);
    servicesLayout->addWidget(filterRow);
    servicesLayout->addWidget(m_views);

    m_groups = new QTreeView;
    m_groups->setModel(m_groupModel);
    m_groups->setItemDelegateForColumn(GroupTreeModel::State, new StateBadgeDelegate(GroupTreeModel::StateRole, this));
    m_groups->setContextMenuPolicy(Qt::CustomContextMenu);
    m_groups->header()->setStretchLastSection(true);

    auto *left = new QSplitter(Qt::Vertical);
    left->addWidget(services);
    left->addWidget(m_groups);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);
    m_detail = new DetailPane(m_link, m_state);
    auto *centre = new QSplitter(Qt::Horizontal);
    centre->addWidget(left);
    centre->addWidget(m_detail);
    centre->setStretchFactor(0, 3);
    centre->setStretchFactor(1, 2);
    setCentralWidget(centre);

    m_alerts = new TrayAlerts(this);
    buildActions();
    if (demo) {
        addToolBarBreak();
        m_scenarioBar = new ScenarioBar(m_link, std::move(demo->scenarios), std::move(demo->services), this);
        addToolBar(m_scenarioBar);
    }
    buildLog();

    m_statusLine = new QLabel;
    m_connection = new QLabel;
    m_progressText = new QLabel;
    m_progress = new QProgressBar;
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(220);
    statusBar()->addWidget(m_statusLine, 1);
    statusBar()->addPermanentWidget(m_progressText);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_connection);
    hideProgress();

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::selectionChanged);
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
        QStringList names;
        if (mods & Qt::ControlModifier && !m_target.group)
            for (const auto &n : m_target.names)
                names << QString::fromStdString(n);
        if (names.contains(name))
            names.removeAll(name);
        else
            names << name;
        selectServices(names);
    });
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QStringList names;
        for (const auto &n : m_target.names)
            names << QString::fromStdString(n);
        if (!m_target.group && !names.isEmpty())
            showContextMenu(names, m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_tiles, &TileView::contextMenuRequested, this, [this](const QString &name, const QPoint &global) {
        bool selected = false;
        for (const auto &n : m_target.names)
            selected = selected || QString::fromStdString(n) == name;
        if (!selected || m_target.group)
            selectServices({name});
        QStringList names;
        for (const auto &n : m_target.names)
            names << QString::fromStdString(n);
        showContextMenu(names, global);
    });
    connect(m_groups, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex i = m_groups->indexAt(pos);
        if (i.isValid() && i.data(GroupTreeModel::IsGroupRole).toBool()) {
            selectGroup(i.siblingAtColumn(0).data(GroupTreeModel::NameRole).toString());
            showContextMenu({}, m_groups->viewport()->mapToGlobal(pos));
        }
    });

    connect(&m_link, &DashboardLink::observed, this, &MainWindow::observe);
    connect(&m_link, &DashboardLink::transitioned, this, [this](const TransitionEvent &e) {
        m_logModel->addTransition(e);
        m_detail->transitioned(e);
        m_alerts->transitioned(e);
    });
    connect(&m_link, &DashboardLink::audited, m_logModel, &EventLogModel::addAudit);
    connect(&m_link, &DashboardLink::controlReplaced, this, &MainWindow::restart);
    if (m_theme) {
        connect(m_theme, &Theme::changed, m_detail, &DetailPane::setDark);
        m_detail->setDark(m_theme->dark());
    }

    loadLog(); // what happened before the window opened

    // Sorting and state filters follow the figures once a second, not at every update.
    m_resort.setInterval(1000);
    connect(&m_resort, &QTimer::timeout, this, [this] {
        if (m_views->currentWidget() == m_table)
            m_serviceFilter->invalidate();
    });
    m_resort.start();
    m_statusTimer.setInterval(500);
    connect(&m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer.start();
    updateStatus();
    resize(1500, 920);
}

MainWindow::~MainWindow() = default;

void MainWindow::loadLog()
{
    std::vector<TransitionEvent> transitions = m_link.transitions(500);
    std::vector<persist::AuditEntry> audit = m_link.audit(500);
    std::size_t t = 0, a = 0;
    while (t < transitions.size() || a < audit.size()) {
        if (a == audit.size() || (t < transitions.size() && transitions[t].wallMs <= audit[a].wallMs))
            m_logModel->addTransition(transitions[t++]);
        else
            m_logModel->addAudit(audit[a++]);
    }
}

void MainWindow::restart()
{
    // The history and the log were of the previous engine; the next
    // observation fills the rows again.
    m_state = DashboardState();
    m_serviceModel->refresh({});
    m_tiles->refresh({});
    m_groupModel->refresh(EngineSnapshot{});
    m_logModel->clear();
    loadLog();
    m_detail->reload();
}

void MainWindow::showReplay(QToolBar *bar, const QString &name)
{
    m_replayName = name;
    setWindowTitle(QStringLiteral("Breakerboard — replay of %1").arg(name));
    addToolBarBreak();
    addToolBar(bar);
    m_alerts->silence();
    updateStatus();
}

void MainWindow::showProgress(const QString &what, double fraction)
{
    m_progressText->setText(what);
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * 1000));
    m_progressText->show();
    m_progress->show();
}

void MainWindow::hideProgress()
{
    m_progressText->hide();
    m_progress->hide();
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (!m_painted && event->type() == QEvent::Paint && watched == m_table->viewport()) {
        m_painted = true;
        QTimer::singleShot(0, this, &MainWindow::firstPainted); // after this paint reached the screen
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::observe(std::shared_ptr<const control::Observation> observation)
{
    const std::vector<int> changed = m_state.update(*observation);
    m_serviceModel->refresh(changed);
    if (m_views->currentWidget() == m_tiles)
        m_tiles->refresh(changed);
    m_groupModel->refresh(*observation->engine);
    if (m_state.rowsReplaced()) {
        m_groups->expandAll();
        m_table->resizeColumnsToContents();
        // Room for the widest figures a column will show, not just today's.
        const QFontMetrics fm = m_table->fontMetrics();
        const std::pair<int, const char *> widest[] = {{ServiceTableModel::FailureRate, "100.0% / 100.0%"},
                                                       {ServiceTableModel::SlowRate, "100.0% / 100.0%"},
                                                       {ServiceTableModel::P50, "9999 ms"},
                                                       {ServiceTableModel::P99, "9999 ms"},
                                                       {ServiceTableModel::TimeInState, "59 min 59 s"},
                                                       {ServiceTableModel::NextTrial, "59 min 59 s"}};
        for (const auto &[column, text] : widest)
            m_table->setColumnWidth(column, std::max(m_table->columnWidth(column),
                                                     fm.horizontalAdvance(QString::fromLatin1(text)) + 16));
        m_groups->resizeColumnToContents(0);
    }
    m_detail->refresh();
    m_alerts->update(*observation->engine);
    ++m_applied;
    emit observationApplied();
}

void MainWindow::showTiles(bool tiles)
{
    m_views->setCurrentWidget(tiles ? static_cast<QWidget *>(m_tiles) : m_table);
    if (tiles)
        m_tiles->refresh({});
    emit viewChanged(tiles);
}

void MainWindow::selectServices(const QStringList &names)
{
    m_target = {false, {}};
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
        m_detail->showService(names.front());
}

void MainWindow::selectGroup(const QString &name)
{
    m_target = {true, {name.toStdString()}};
    m_tiles->setSelected({});
    m_detail->showGroup(name);
}

void MainWindow::selectionChanged()
{
    QStringList names;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows())
        names << i.data(ServiceTableModel::NameRole).toString();
    m_target = {false, {}};
    for (const QString &n : names)
        m_target.names.push_back(n.toStdString());
    m_tiles->setSelected(names);
    const QModelIndex current = m_table->currentIndex();
    if (names.size() == 1)
        m_detail->showService(names.front());
    else if (current.isValid() && names.contains(current.data(ServiceTableModel::NameRole).toString()))
        m_detail->showService(current.data(ServiceTableModel::NameRole).toString());
}

QString MainWindow::statusText() const { return m_statusLine->text() + QStringLiteral(" | ") + m_connection->text(); }

void MainWindow::updateStatus()
{
    const int total = int(m_state.rows().size());
    if (isReplay()) {
        m_statusLine->setText(QStringLiteral("Replay of %1   %2 req/s   %3 of %4 breakers open")
                                  .arg(m_replayName, QString::number(m_state.totalRequestsPerS(), 'f', 0))
                                  .arg(m_state.breakersOpen())
                                  .arg(total));
        m_connection->setText(QStringLiteral("● replayed engine, not live traffic"));
        m_connection->setStyleSheet(QStringLiteral("color: %1").arg(replayColor().name()));
        return;
    }
    m_statusLine->setText(QStringLiteral("Proxy %1   Admin %2   %3 req/s   %4 of %5 breakers open")
                              .arg(m_link.proxyAddress().isEmpty() ? QStringLiteral("–") : QStringLiteral("http://") + m_link.proxyAddress(),
                                   m_link.adminAddress().isEmpty() ? QStringLiteral("off") : QStringLiteral("http://") + m_link.adminAddress(),
                                   QString::number(m_state.totalRequestsPerS(), 'f', 0))
                              .arg(m_state.breakersOpen())
                              .arg(total) +
                          (m_recordingPath.isEmpty() ? QString()
                                                     : QStringLiteral("   ● recording to %1").arg(m_recordingPath)));
    const qint64 since = m_link.sinceLastObservationMs();
    if (since >= 0 && since < 2000) {
        m_connection->setText(QStringLiteral("● engine connected"));
        m_connection->setStyleSheet(QStringLiteral("color: %1").arg(stateColor(BreakerState::Closed).name()));
    } else {
        m_connection->setText(since < 0 ? QStringLiteral("● waiting for the engine")
                                        : QStringLiteral("● no figures for %1 s").arg(since / 1000));
        m_connection->setStyleSheet(QStringLiteral("color: %1").arg(stateColor(BreakerState::Open).name()));
    }
}

} // namespace bb::ui
