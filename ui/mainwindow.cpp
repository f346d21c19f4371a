#include "mainwindow.h"

#include "attachdialog.h"
#include "detailpane.h"
#include "eventlogdock.h"
#include "instancesdock.h"
#include "operatoractions.h"
#include "recordingactions.h"
#include "scenariobar.h"
#include "servicesview.h"
#include "statusline.h"
#include "theme.h"
#include "thresholdeditor.h"
#include "trayalerts.h"

#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QToolBar>

namespace bb::ui {

MainWindow::MainWindow(DashboardLink &link, Theme *theme, QWidget *parent)
    : QMainWindow(parent), m_link(link), m_theme(theme)
{
    setWindowTitle(link.demo() ? QStringLiteral("Breakerboard — demo") : QStringLiteral("Breakerboard"));
    m_services = new ServicesView(m_state);
    m_detail = new DetailPane(m_link, m_state);
    auto *centre = new QSplitter(Qt::Horizontal);
    centre->addWidget(m_services);
    centre->addWidget(m_detail);
    centre->setStretchFactor(0, 3);
    centre->setStretchFactor(1, 2);
    setCentralWidget(centre);
    m_services->firstPainted()->installEventFilter(this);

    m_alerts = new TrayAlerts(this);
    m_log = new EventLogDock(m_link, [this] {
        return m_state.snapshot() ? m_state.snapshot()->wallMs : QDateTime::currentMSecsSinceEpoch();
    }, this);
    m_instances = new InstancesDock(this);
    m_actions = new OperatorActions({m_link, m_state, *m_services, *m_log->model(), *m_alerts}, this);
    m_recording = new RecordingActions(m_link, this);
    m_status = new StatusLine(m_link, m_state, statusBar(), [this] { return m_recording->statusSuffix(); });
    buildMenus();
    if (control::DemoControl *demo = link.demo()) {
        addToolBarBreak();
        m_scenarioBar = new ScenarioBar(*demo, this);
        addToolBar(m_scenarioBar);
    }
    addDockWidget(Qt::BottomDockWidgetArea, m_log);
    resizeDocks({m_log}, {170}, Qt::Vertical);
    addDockWidget(Qt::BottomDockWidgetArea, m_instances);
    splitDockWidget(m_log, m_instances, Qt::Horizontal);

    connect(m_services, &ServicesView::serviceChosen, m_detail, &DetailPane::showService);
    connect(m_services, &ServicesView::instanceChosen, m_detail, &DetailPane::showInstance);
    connect(m_services, &ServicesView::groupChosen, m_detail, &DetailPane::showGroup);
    connect(m_services, &ServicesView::viewChanged, this, &MainWindow::viewChanged);
    connect(m_services, &ServicesView::contextMenuRequested, m_actions, &OperatorActions::showContextMenu);
    connect(m_log, &EventLogDock::undoRequested, m_actions, &OperatorActions::startUndo);
    connect(m_log, &EventLogDock::exportRequested, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the event log"),
                                                          QStringLiteral("breakerboard-events.csv"),
                                                          QStringLiteral("CSV (*.csv)"));
        if (!path.isEmpty())
            exportLog(path);
    });
    connect(m_actions, &OperatorActions::thresholdEditorOpened, this, &MainWindow::thresholdEditorOpened);
    connect(m_recording, &RecordingActions::recordingChanged, m_status, &StatusLine::update);
    connect(&m_link, &DashboardLink::observed, this, &MainWindow::observe);
    connect(&m_link, &DashboardLink::transitioned, this, [this](const TransitionEvent &e) {
        m_detail->transitioned(e);
        m_alerts->transitioned(e);
    });
    connect(&m_link, &DashboardLink::controlReplaced, this, &MainWindow::restart);
    connect(&m_link.control(), &control::CommandQueue::busyChanged, this, &MainWindow::showWorking);
    if (m_theme) {
        connect(m_theme, &Theme::changed, m_detail, &DetailPane::setDark);
        m_detail->setDark(m_theme->dark());
    }
    m_log->reload(); // what happened before the window opened
    resize(1500, 920);
}

MainWindow::~MainWindow()
{
    // The views read m_state until they are gone, and a visible window is
    // hidden by QWidget's destructor, after the members: laying its views
    // out then read a destroyed state. Hidden here, while it lives.
    hide();
}

void MainWindow::buildMenus()
{
    buildFileMenu();
    QToolBar *bar = addToolBar(QStringLiteral("Actions"));
    bar->setObjectName(QStringLiteral("actionsBar"));
    QMenu *actions = menuBar()->addMenu(QStringLiteral("&Actions"));
    const QList<QAction *> &all = m_actions->actions();
    for (QAction *a : all) {
        if (a == all.back()) { // the threshold editor, apart
            actions->addSeparator();
            bar->addSeparator();
        }
        actions->addAction(a);
        bar->addAction(a);
    }
    buildViewMenu(bar);
}

void MainWindow::buildFileMenu()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(QStringLiteral("&Open a recording…"), QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Replay a recording"), QString(),
                                                          QStringLiteral("Recordings (*.jsonl);;All files (*)"));
        if (!path.isEmpty())
            emit openRecordingRequested(path);
    });
    file->addAction(QStringLiteral("&Import a log…"), QKeySequence(QStringLiteral("Ctrl+I")), this, [this] {
        // The filter chosen names the format.
        const std::pair<QString, QString> formats[] = {
            {QStringLiteral("nginx access logs (*.log *.log.* *.txt)"), QStringLiteral("nginx")},
            {QStringLiteral("HAR files saved by a browser (*.har)"), QStringLiteral("har")},
            {QStringLiteral("Envoy access logs, default format (*.log *.log.* *.txt)"), QStringLiteral("envoy")}};
        QStringList filters;
        for (const auto &f : formats)
            filters << f.first;
        QString chosen;
        const QString input = QFileDialog::getOpenFileName(this, QStringLiteral("Import a log to replay"), QString(),
                                                           filters.join(QStringLiteral(";;")), &chosen);
        if (input.isEmpty())
            return;
        QString format = formats[0].second;
        for (const auto &f : formats)
            if (f.first == chosen)
                format = f.second;
        const QFileInfo in(input);
        const QString output = QFileDialog::getSaveFileName(
            this, QStringLiteral("Save the imported recording as"),
            in.dir().filePath(in.completeBaseName() + QStringLiteral(".jsonl")), QStringLiteral("Recordings (*.jsonl)"));
        if (!output.isEmpty())
            emit importLogRequested(format, input, output);
    });
    file->addAction(QStringLiteral("&Attach to an instance…"), this, [this] { openAttachDialog(); });
    file->addSeparator();
    file->addAction(QStringLiteral("Export the event log as CSV…"), m_log, &EventLogDock::exportRequested);
    file->addAction(m_recording->recordAction());
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
}

void MainWindow::buildViewMenu(QToolBar *bar)
{
    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    auto *views = new QActionGroup(this);
    QAction *tableView = view->addAction(QStringLiteral("Table"), QKeySequence(QStringLiteral("Ctrl+1")),
                                         this, [this] { showTiles(false); });
    QAction *tileView = view->addAction(QStringLiteral("Tiles"), QKeySequence(QStringLiteral("Ctrl+2")),
                                        this, [this] { showTiles(true); });
    for (QAction *a : {tableView, tileView}) {
        a->setCheckable(true);
        views->addAction(a);
    }
    tableView->setChecked(true);
    connect(this, &MainWindow::viewChanged, tileView, [tableView, tileView](bool tiles) {
        (tiles ? tileView : tableView)->setChecked(true);
    });
    bar->addSeparator();
    bar->addAction(tableView);
    bar->addAction(tileView);
    view->addSeparator();
    view->addAction(m_instances->toggleViewAction());
    if (!m_theme)
        return;
    QMenu *themes = view->addMenu(QStringLiteral("Theme"));
    auto *group = new QActionGroup(this);
    const std::pair<const char *, Theme::Mode> modes[] = {
        {"Follow the system", Theme::Mode::System}, {"Light", Theme::Mode::Light}, {"Dark", Theme::Mode::Dark}};
    for (const auto &[label, mode] : modes) {
        QAction *a = themes->addAction(QString::fromLatin1(label));
        a->setCheckable(true);
        a->setChecked(m_theme->mode() == mode);
        group->addAction(a);
        const Theme::Mode m = mode;
        connect(a, &QAction::triggered, this, [this, m] { m_theme->setMode(m); });
    }
}

AttachDialog *MainWindow::openAttachDialog()
{
    auto *dialog = new AttachDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_lastAttach.size() == 3)
        dialog->setValues(m_lastAttach[0], m_lastAttach[1], m_lastAttach[2]);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_lastAttach = {dialog->url(), dialog->tokenFile(), dialog->caFile()};
        emit attachRequested(dialog->url(), dialog->tokenFile(), dialog->caFile());
    });
    dialog->open();
    return dialog;
}

void MainWindow::attachFailed(const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, QStringLiteral("Could not attach"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::restart()
{
    // The history and the log were of the previous engine; the next
    // observation fills the rows again.
    m_state = DashboardState();
    m_services->clear();
    m_instances->refresh(nullptr);
    m_log->reload();
    m_detail->reload();
}

void MainWindow::showReplay(QToolBar *bar, const QString &name)
{
    m_replay = true;
    setWindowTitle(QStringLiteral("Breakerboard — replay of %1").arg(name));
    addToolBarBreak();
    addToolBar(bar);
    m_alerts->silence();
    m_status->setReplay(name);
}

void MainWindow::showProgress(const QString &what, double fraction) { m_status->showProgress(what, fraction); }
void MainWindow::hideProgress() { m_status->hideProgress(); }
QProgressBar *MainWindow::progressBar() const { return m_status->progressBar(); }
ServiceTableModel *MainWindow::serviceModel() const { return m_services->serviceModel(); }
EventLogModel *MainWindow::logModel() const { return m_log->model(); }
QString MainWindow::statusText() const { return m_status->text(); }
QString MainWindow::workingText() const { return m_status->workingText(); }
void MainWindow::selectServices(const QStringList &names) { m_services->selectServices(names); }
void MainWindow::selectInstance(const QString &service, const QString &instance)
{
    m_services->selectInstance(service, instance);
}
void MainWindow::selectGroup(const QString &name) { m_services->selectGroup(name); }
ActionDialog *MainWindow::startAction(OperatorAction action) { return m_actions->startAction(action); }
ActionDialog *MainWindow::startUndo(int logRow) { return m_actions->startUndo(logRow); }
void MainWindow::openThresholdEditor() { m_actions->openThresholdEditor(); }
void MainWindow::showTiles(bool tiles) { m_services->showTiles(tiles); }

void MainWindow::showWorking()
{
    const control::DashboardControl &control = m_link.control();
    m_status->setWorking(control.busy() ? control.waitingFor() : QString());
}

void MainWindow::exportLog(const QString &path)
{
    QString error;
    if (m_log->exportTo(path, &error))
        statusBar()->showMessage(QStringLiteral("Exported %1 events to %2").arg(m_log->shownRows()).arg(path), 5000);
    else
        QMessageBox::warning(this, QStringLiteral("Export failed"), error);
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (!m_painted && event->type() == QEvent::Paint && watched == m_services->firstPainted()) {
        m_painted = true;
        QTimer::singleShot(0, this, &MainWindow::firstPainted); // after this paint reached the screen
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::observe(std::shared_ptr<const control::Observation> observation)
{
    const auto sharedBefore = m_state.sharedState();
    const std::vector<int> changed = m_state.update(*observation);
    m_services->refresh(changed, *m_state.snapshot());
    const bool instancesShown = !m_instances->isHidden();
    m_instances->refresh(m_state.fleet());
    if (!instancesShown && !m_instances->isHidden())
        resizeDocks({m_instances}, {640}, Qt::Horizontal);
    m_detail->refresh();
    m_alerts->update(*m_state.snapshot());
    if (m_state.fleet() || m_state.sharedState() != sharedBefore)
        m_status->update(); // links change at once, not at the next tick
    ++m_applied;
}

} // namespace bb::ui
