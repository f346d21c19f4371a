// The dashboard's window: it composes the services and groups
// (ServicesView), the detail pane, the event log (EventLogDock), the
// operator actions (OperatorActions), recording (RecordingActions), the
// scenario controls when a demo runs, a replay's bar when it shows one,
// the instances of a fleet (InstancesDock) when it shows one, and the
// status bar (StatusLine), and wires them with the menus. It holds
// no engine object: observations, events and answers come through the
// DashboardLink, and so do commands.
#pragma once

#include "actiondialog.h"
#include "dashboardlink.h"
#include "dashboardstate.h"

#include <QMainWindow>

class QProgressBar;

Q_MOC_INCLUDE("ui/thresholdeditor.h")

namespace bb::ui {

class AttachDialog;
class DetailPane;
class EventLogDock;
class EventLogModel;
class InstancesDock;
class OperatorActions;
class RecordingActions;
class ScenarioBar;
class ServicesView;
class ServiceTableModel;
class StatusLine;
class Theme;
class ThresholdEditor;
class TrayAlerts;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // theme may be null (then the window keeps the application's palette).
    MainWindow(DashboardLink &link, Theme *theme, QWidget *parent = nullptr);
    ~MainWindow() override;

    void selectServices(const QStringList &names);
    // Over a fleet: one instance's row of a service.
    void selectInstance(const QString &service, const QString &instance);
    void selectGroup(const QString &name);
    // Opens the action's dialog on the current target (nullptr when nothing is selected).
    ActionDialog *startAction(OperatorAction action);
    ActionDialog *startUndo(int logRow); // source row of the event log
    // Opens the editor on the one service selected once its configuration
    // has come: thresholdEditorOpened().
    void openThresholdEditor();
    void showTiles(bool tiles);
    void exportLog(const QString &path);
    // File → Attach to an instance: the dialog, filled with what was asked
    // last; attachRequested() when accepted.
    AttachDialog *openAttachDialog();
    RecordingActions *recording() const { return m_recording; }

    // Makes this the window of a replay: its bar under the toolbar, "replay"
    // in the title and the status line, no tray icon or notifications.
    void showReplay(QToolBar *bar, const QString &name);
    bool isReplay() const { return m_replay; }
    // A long task's progress in the status bar (fraction 0–1); hideProgress() ends it.
    void showProgress(const QString &what, double fraction);
    void hideProgress();
    QProgressBar *progressBar() const;

    const DashboardState &state() const { return m_state; }
    ServiceTableModel *serviceModel() const;
    EventLogModel *logModel() const;
    DetailPane *detail() const { return m_detail; }
    ServicesView *services() const { return m_services; }
    InstancesDock *instances() const { return m_instances; }
    TrayAlerts *alerts() const { return m_alerts; }
    ScenarioBar *scenarioBar() const { return m_scenarioBar; }
    QString statusText() const;
    StatusLine *statusLine() const { return m_status; }
    // "working… (what)" while a command has waited too long, else empty.
    QString workingText() const;
    int observationsApplied() const { return m_applied; }

signals:
    // Once: the window has been painted for the first time.
    void firstPainted();
    void viewChanged(bool tiles);
    void thresholdEditorOpened(bb::ui::ThresholdEditor *editor);
    // File menu: a recording to open, a log to import (format "nginx", "har"
    // or "envoy") into a recording at output. Whoever runs replays answers.
    void openRecordingRequested(const QString &path);
    void importLogRequested(const QString &format, const QString &input, const QString &output);
    // File → Attach to an instance: its admin API's URL, the token's file and
    // the CA file (either may be empty). Whoever runs the fleet attaches, and
    // calls attachFailed() when it cannot.
    void attachRequested(const QString &url, const QString &tokenFile, const QString &caFile);

public slots:
    // Says why attaching failed (a wrong token, nothing answering at the
    // URL, a server that is not Breakerboard, …), without waiting.
    void attachFailed(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildMenus();
    void buildFileMenu();
    void buildViewMenu(QToolBar *bar);
    void observe(std::shared_ptr<const control::Observation> observation);
    void showWorking();
    // The engine behind the link was replaced (a replay started afresh).
    void restart();

    DashboardLink &m_link;
    Theme *m_theme;
    DashboardState m_state;
    int m_applied = 0;
    bool m_painted = false;
    bool m_replay = false;
    QStringList m_lastAttach; // url, token file, CA file

    ServicesView *m_services;
    DetailPane *m_detail;
    EventLogDock *m_log;
    InstancesDock *m_instances;
    TrayAlerts *m_alerts;
    OperatorActions *m_actions;
    RecordingActions *m_recording;
    ScenarioBar *m_scenarioBar = nullptr;
    StatusLine *m_status;
};

} // namespace bb::ui
