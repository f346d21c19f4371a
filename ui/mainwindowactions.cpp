// The window's actions: menus and toolbar, operator actions and their
// dialogs, undo from the log, the threshold editor, and the event log dock.
#include "mainwindow.h"

#include "detailpane.h"
#include "eventlogmodel.h"
#include "servicetablemodel.h"
#include "theme.h"
#include "thresholdeditor.h"
#include "tileview.h"
#include "trayalerts.h"

#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace bb::ui {

namespace {
struct ActionSpec {
    OperatorAction action;
    const char *shortcut;
    const char *tip;
};
constexpr ActionSpec kActions[] = {
    {OperatorAction::ForceOpen, "Ctrl+Shift+O", "Reject every call until reset or expiry"},
    {OperatorAction::ForceClosed, "Ctrl+Shift+C", "Let every call through until reset or expiry"},
    {OperatorAction::Disable, "Ctrl+Shift+D", "Stop judging calls until reset or expiry"},
    {OperatorAction::Reset, "Ctrl+Shift+R", "Back to closed with an empty window"},
    {OperatorAction::HalfOpen, "Ctrl+Shift+H", "Let trial calls through now"},
};
} // namespace

bool MainWindow::startRecording(const QString &path, bool quiet)
{
    QString error;
    if (!m_link.startRecording(path, &error)) {
        if (!quiet)
            QMessageBox::warning(this, QStringLiteral("Cannot record"), error);
        return false;
    }
    m_recordingPath = path;
    m_record->setChecked(true);
    updateStatus();
    return true;
}

void MainWindow::stopRecording()
{
    const DashboardLink::Recording stopped = m_link.stopRecording();
    m_recordingPath.clear();
    m_record->setChecked(false);
    updateStatus();
    if (!stopped.path.isEmpty())
        statusBar()->showMessage(QStringLiteral("Recorded %1 requests to %2%3")
                                     .arg(stopped.lines)
                                     .arg(stopped.path, stopped.error.isEmpty() ? QString()
                                                                                : QStringLiteral(" (") + stopped.error + ')'),
                                 15000);
}

void MainWindow::buildActions()
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
    file->addSeparator();
    file->addAction(QStringLiteral("Export the event log as CSV…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the event log"),
                                                          QStringLiteral("breakerboard-events.csv"),
                                                          QStringLiteral("CSV (*.csv)"));
        if (!path.isEmpty())
            exportLog(path);
    });
    m_record = file->addAction(QStringLiteral("&Record traffic…"));
    m_record->setCheckable(true);
    m_record->setShortcut(QKeySequence(QStringLiteral("Ctrl+R")));
    m_record->setToolTip(QStringLiteral("Write every proxied request to a recording (JSON Lines) until unchecked"));
    const DashboardLink::Recording recording = m_link.recording(); // --record may have started one
    m_record->setEnabled(recording.available);
    m_record->setChecked(recording.active);
    if (recording.active)
        m_recordingPath = recording.path;
    connect(m_record, &QAction::triggered, this, [this](bool on) {
        if (!on) {
            stopRecording();
            return;
        }
        const QString name = QStringLiteral("breakerboard-%1.jsonl")
                                 .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Record traffic to"), name,
                                                          QStringLiteral("Recordings (*.jsonl)"));
        if (path.isEmpty() || !startRecording(path))
            m_record->setChecked(false);
    });
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    QToolBar *bar = addToolBar(QStringLiteral("Actions"));
    bar->setObjectName(QStringLiteral("actionsBar"));
    QMenu *actions = menuBar()->addMenu(QStringLiteral("&Actions"));
    for (const ActionSpec &spec : kActions) {
        QAction *a = new QAction(actionTitle(spec.action), this);
        a->setShortcut(QKeySequence(QString::fromLatin1(spec.shortcut)));
        a->setToolTip(QStringLiteral("%1 (%2)").arg(QString::fromLatin1(spec.tip), QString::fromLatin1(spec.shortcut)));
        const OperatorAction action = spec.action;
        connect(a, &QAction::triggered, this, [this, action] { startAction(action); });
        actions->addAction(a);
        bar->addAction(a);
    }
    actions->addSeparator();
    bar->addSeparator();
    QAction *edit = new QAction(QStringLiteral("Edit thresholds…"), this);
    edit->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    connect(edit, &QAction::triggered, this, [this] { openThresholdEditor(); });
    actions->addAction(edit);
    bar->addAction(edit);

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
    if (m_theme) {
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
}

void MainWindow::buildLog()
{
    auto *dock = new QDockWidget(QStringLiteral("Event log"), this);
    dock->setObjectName(QStringLiteral("eventLog"));
    auto *panel = new QWidget;
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *row = new QHBoxLayout;
    auto *subject = new QLineEdit;
    subject->setPlaceholderText(QStringLiteral("Service or group"));
    subject->setClearButtonEnabled(true);
    auto *kind = new QComboBox;
    kind->addItems({QStringLiteral("All kinds"), kindLabel(LogEntry::Kind::Transition), kindLabel(LogEntry::Kind::Operator),
                    kindLabel(LogEntry::Kind::Policy), kindLabel(LogEntry::Kind::Reload)});
    auto *since = new QComboBox;
    since->addItem(QStringLiteral("Any time"), 0);
    since->addItem(QStringLiteral("Last 5 minutes"), 5);
    since->addItem(QStringLiteral("Last 15 minutes"), 15);
    since->addItem(QStringLiteral("Last hour"), 60);
    auto *exportButton = new QPushButton(QStringLiteral("Export CSV…"));
    row->addWidget(subject, 1);
    row->addWidget(kind);
    row->addWidget(since);
    row->addWidget(exportButton);
    layout->addLayout(row);
    connect(subject, &QLineEdit::textChanged, m_logFilter, &EventFilterModel::setSubject);
    connect(kind, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_logFilter->setKind(i == 0 ? std::nullopt : std::optional(LogEntry::Kind(i - 1)));
    });
    connect(since, &QComboBox::currentIndexChanged, this, [this, since](int i) {
        const int minutes = since->itemData(i).toInt();
        // The engine's time: a replay's events are as old as its recording.
        const std::int64_t now = m_state.snapshot() ? m_state.snapshot()->wallMs : QDateTime::currentMSecsSinceEpoch();
        m_logFilter->setSince(minutes == 0 ? 0 : now - qint64(minutes) * 60'000);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the event log"),
                                                          QStringLiteral("breakerboard-events.csv"),
                                                          QStringLiteral("CSV (*.csv)"));
        if (!path.isEmpty())
            exportLog(path);
    });

    m_log = new QTableView;
    m_log->setModel(m_logFilter);
    m_log->verticalHeader()->setVisible(false);
    m_log->verticalHeader()->setDefaultSectionSize(22);
    m_log->horizontalHeader()->setStretchLastSection(false);
    m_log->horizontalHeader()->setSectionResizeMode(EventLogModel::What, QHeaderView::Stretch);
    m_log->setColumnWidth(EventLogModel::Subject, 170);
    m_log->setColumnWidth(EventLogModel::By, 160);
    m_log->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_log->setContextMenuPolicy(Qt::CustomContextMenu);
    m_log->setWordWrap(false);
    layout->addWidget(m_log);
    connect(m_logModel, &QAbstractItemModel::rowsInserted, m_log, [this] {
        if (m_log->verticalScrollBar()->value() >= m_log->verticalScrollBar()->maximum() - 2)
            m_log->scrollToBottom();
    });
    connect(m_log, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        const QModelIndex i = m_log->indexAt(pos);
        if (!i.isValid())
            return;
        const int sourceRow = m_logFilter->mapToSource(i).row();
        QMenu menu;
        QAction *undo = menu.addAction(QStringLiteral("Undo this action…"), this, [this, sourceRow] { startUndo(sourceRow); });
        undo->setEnabled(m_logModel->undoOf(sourceRow).has_value());
        menu.exec(m_log->viewport()->mapToGlobal(pos));
    });
    dock->setWidget(panel);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    resizeDocks({dock}, {170}, Qt::Vertical);
}

void MainWindow::exportLog(const QString &path)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        exportCsv(*m_logFilter, file);
        if (file.commit()) {
            statusBar()->showMessage(QStringLiteral("Exported %1 events to %2").arg(m_logFilter->rowCount()).arg(path), 5000);
            return;
        }
    }
    QMessageBox::warning(this, QStringLiteral("Export failed"),
                         QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
}

ActionDialog *MainWindow::startAction(OperatorAction action)
{
    if (m_target.empty()) {
        statusBar()->showMessage(QStringLiteral("Select one or more services, or a group, first."), 4000);
        return nullptr;
    }
    if (m_dialog)
        m_dialog->close();
    const ActionTarget target = m_target;
    const QString impact = m_state.snapshot() ? impactOf(action, target, *m_state.snapshot(), m_link.configuration()) : QString();
    auto *dialog = new ActionDialog(action, target, impact, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, action, target, dialog] { applyAction(action, target, *dialog); });
    m_dialog = dialog;
    dialog->open();
    return dialog;
}

ActionDialog *MainWindow::startUndo(int logRow)
{
    const std::optional<Undo> undo = m_logModel->undoOf(logRow);
    if (!undo)
        return nullptr;
    m_target = {undo->group, {undo->target}};
    ActionDialog *dialog = startAction(undo->action);
    if (dialog) {
        const auto &audit = m_logModel->entry(logRow).audit;
        dialog->reasonEdit()->setText(QStringLiteral("undo %1 (back to %2)")
                                          .arg(QString::fromStdString(audit ? audit->action : std::string()),
                                               QLatin1String(nameOf(undo->restores))));
    }
    return dialog;
}

void MainWindow::applyAction(OperatorAction action, const ActionTarget &target, const ActionDialog &dialog)
{
    QStringList problems;
    for (const std::string &name : target.names) {
        const control::CommandResult r =
            m_link.changeState(target.group ? control::TargetKind::Group : control::TargetKind::Breaker, name, action,
                               dialog.reason(), dialog.expiry());
        if (r.status == control::CommandResult::Status::NotFound)
            problems << QStringLiteral("%1: no such %2").arg(QString::fromStdString(name),
                                                              target.group ? QStringLiteral("group") : QStringLiteral("service"));
        for (const control::FieldError &e : r.errors)
            problems << QStringLiteral("%1: %2").arg(QString::fromStdString(name), QString::fromStdString(e.message));
    }
    if (!problems.isEmpty())
        QMessageBox::warning(this, QStringLiteral("%1 not done").arg(actionTitle(action)), problems.join(QLatin1Char('\n')));
    else
        statusBar()->showMessage(QStringLiteral("%1: done for %2").arg(actionTitle(action)).arg(target.names.size()), 4000);
}

ThresholdEditor *MainWindow::openThresholdEditor()
{
    if (m_target.group || m_target.names.size() != 1) {
        statusBar()->showMessage(QStringLiteral("Select one service to edit its thresholds."), 4000);
        return nullptr;
    }
    const Configuration config = m_link.configuration();
    const ServiceConfig *service = config.service(m_target.names.front());
    const int row = m_state.rowOf(m_target.names.front());
    if (!service || row < 0)
        return nullptr;
    auto *editor = new ThresholdEditor(m_link, *service, m_state.recordedSeconds(row), this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    editor->open();
    return editor;
}

void MainWindow::showContextMenu(const QStringList &services, const QPoint &globalPos)
{
    QMenu menu;
    for (const ActionSpec &spec : kActions) {
        const OperatorAction action = spec.action;
        menu.addAction(actionTitle(action) + QStringLiteral("…"), this, [this, action] { startAction(action); });
    }
    if (services.size() == 1) {
        menu.addSeparator();
        menu.addAction(QStringLiteral("Edit thresholds…"), this, [this] { openThresholdEditor(); });
    }
    const QString subject = m_target.group ? QStringLiteral("group ") + QString::fromStdString(m_target.names.front())
                                           : (services.size() == 1 ? services.front() : QString());
    if (!subject.isEmpty()) {
        QAction *mute = menu.addAction(QStringLiteral("Mute notifications"));
        mute->setCheckable(true);
        mute->setChecked(m_alerts->isMuted(subject));
        connect(mute, &QAction::toggled, this, [this, subject](bool on) { m_alerts->setMuted(subject, on); });
    }
    menu.exec(globalPos);
}

} // namespace bb::ui
