// The dashboard's window: the services (table or tiles), the groups panel,
// the detail pane, the event log, the operator actions and threshold editor,
// the scenario controls when a demo runs, and the status bar. It holds no
// engine object: observations and events come through the DashboardLink, and
// so do commands.
#pragma once

#include "actiondialog.h"
#include "dashboardlink.h"
#include "dashboardstate.h"
#include "sim/scenario.h"

#include <QMainWindow>
#include <QPointer>
#include <QTimer>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace bb::ui {

class DetailPane;
class EventFilterModel;
class EventLogModel;
class GroupTreeModel;
class ScenarioBar;
class ServiceFilterModel;
class ServiceTableModel;
class Theme;
class ThresholdEditor;
class TileView;
class TrayAlerts;

struct DemoInfo {
    std::vector<sim::Scenario> scenarios; // offered; the first is playing
    std::vector<std::string> services;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // theme may be null (then the window keeps the application's palette).
    MainWindow(DashboardLink &link, Theme *theme, std::optional<DemoInfo> demo, QWidget *parent = nullptr);
    ~MainWindow() override;

    // The targets of the operator actions: the selected services, or the selected group.
    ActionTarget target() const { return m_target; }
    void selectServices(const QStringList &names);
    void selectGroup(const QString &name);
    // Opens the action's dialog on the current target (nullptr when nothing is selected).
    ActionDialog *startAction(OperatorAction action);
    ActionDialog *startUndo(int logRow); // source row of the event log
    ThresholdEditor *openThresholdEditor();
    void showTiles(bool tiles);
    void exportLog(const QString &path);
    // Records every proxied request to path from now on; false (and a
    // message box unless quiet) when it cannot.
    bool startRecording(const QString &path, bool quiet = false);
    // Stops and says in the status bar how many requests were recorded.
    void stopRecording();
    QAction *recordAction() const { return m_record; }

    // Makes this the window of a replay: its bar under the toolbar, "replay"
    // in the title and the status line, no tray icon or notifications.
    void showReplay(QToolBar *bar, const QString &name);
    bool isReplay() const { return !m_replayName.isEmpty(); }
    // A long task's progress in the status bar (fraction 0–1); hideProgress() ends it.
    void showProgress(const QString &what, double fraction);
    void hideProgress();
    QProgressBar *progressBar() const { return m_progress; }

    const DashboardState &state() const { return m_state; }
    ServiceTableModel *serviceModel() const { return m_serviceModel; }
    ServiceFilterModel *serviceFilter() const { return m_serviceFilter; }
    GroupTreeModel *groupModel() const { return m_groupModel; }
    EventLogModel *logModel() const { return m_logModel; }
    EventFilterModel *logFilter() const { return m_logFilter; }
    DetailPane *detail() const { return m_detail; }
    TileView *tiles() const { return m_tiles; }
    QTableView *table() const { return m_table; }
    TrayAlerts *alerts() const { return m_alerts; }
    ScenarioBar *scenarioBar() const { return m_scenarioBar; }
    QString statusText() const;
    int observationsApplied() const { return m_applied; }

signals:
    void observationApplied();
    // Once: the window has been painted for the first time.
    void firstPainted();
    void viewChanged(bool tiles);
    // File menu: a recording to open, a log to import (format "nginx", "har"
    // or "envoy") into a recording at output. Whoever runs replays answers.
    void openRecordingRequested(const QString &path);
    void importLogRequested(const QString &format, const QString &input, const QString &output);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void observe(std::shared_ptr<const control::Observation> observation);
    void buildActions();
    void buildLog();
    void selectionChanged();
    void applyAction(OperatorAction action, const ActionTarget &target, const ActionDialog &dialog);
    void showContextMenu(const QStringList &services, const QPoint &globalPos);
    void updateStatus();
    // The log from the engine's history: transitions and operator actions in time order.
    void loadLog();
    // The engine behind the link was replaced (a replay started afresh).
    void restart();

    DashboardLink &m_link;
    Theme *m_theme;
    DashboardState m_state;
    ActionTarget m_target;
    int m_applied = 0;
    bool m_painted = false;

    ServiceTableModel *m_serviceModel;
    ServiceFilterModel *m_serviceFilter;
    GroupTreeModel *m_groupModel;
    EventLogModel *m_logModel;
    EventFilterModel *m_logFilter;

    QStackedWidget *m_views;
    QTableView *m_table;
    TileView *m_tiles;
    QTreeView *m_groups;
    DetailPane *m_detail;
    QTableView *m_log;
    ScenarioBar *m_scenarioBar = nullptr;
    TrayAlerts *m_alerts;
    QLabel *m_statusLine;
    QLabel *m_connection;
    QLabel *m_progressText;
    QProgressBar *m_progress;
    QString m_replayName; // empty: live
    QTimer m_statusTimer;
    QTimer m_resort;
    QPointer<ActionDialog> m_dialog;
    QAction *m_record = nullptr;
    QString m_recordingPath; // empty: not recording
};

} // namespace bb::ui
