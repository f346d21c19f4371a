// The operator's actions on the selected services or group: force open or
// closed, disable, reset, half-open, each through its dialog with a reason;
// undo from the event log; the threshold editor; the context menu. Commands
// are answered later: the dialog waits for its answer, and the actions are
// held while the control is busy. Over a fleet a command goes to the
// instances of its scope (an instance's row: that instance alone); the
// dialogs say what it will do on each, and what each did, and the event log
// gets a line for each instance's answer.
#pragma once

#include "actiondialog.h"

#include <QObject>
#include <QPointer>

class QAction;
class QMainWindow;
class QMenu;

Q_MOC_INCLUDE("ui/thresholdeditor.h")

namespace bb::ui {

class DashboardLink;
class DashboardState;
class EventLogModel;
class ServicesView;
class ThresholdEditor;
class TrayAlerts;

class OperatorActions : public QObject {
    Q_OBJECT
public:
    struct Context {
        DashboardLink &link;
        const DashboardState &state;
        ServicesView &services;
        EventLogModel &log;
        TrayAlerts &alerts;
    };
    OperatorActions(Context context, QMainWindow *window);

    // The actions for the menu and the toolbar, the threshold editor last.
    const QList<QAction *> &actions() const { return m_actions; }
    // Opens the action's dialog on the current target (nullptr when nothing is selected).
    ActionDialog *startAction(OperatorAction action);
    ActionDialog *startUndo(int logRow); // source row of the event log
    // Opens the editor once the service's configuration has come (thresholdEditorOpened).
    void openThresholdEditor();
    void showContextMenu(const QStringList &services, const QPoint &globalPos);

signals:
    void thresholdEditorOpened(bb::ui::ThresholdEditor *editor);

private:
    // What the answers to one action said, gathered until the last comes.
    struct Answers {
        QStringList problems; // of answers without instances (one engine)
        QStringList outcomes; // each instance's, over a fleet
        bool fleet = false;
        bool allDone = true;
    };
    void apply(OperatorAction action, const ActionTarget &target, ActionDialog *dialog);
    void collect(Answers &answers, OperatorAction action, const ActionTarget &target, const std::string &name,
                 const control::CommandResult &result);
    void finish(OperatorAction action, const ActionTarget &target, const Answers &answers, ActionDialog *dialog);
    // A line in the event log for each instance's answer.
    void logOutcomes(const QString &command, const std::string &name, bool group, const control::CommandResult &result);
    void say(const QString &message);

    Context m_context;
    QMainWindow *m_window;
    QList<QAction *> m_actions;
    QPointer<ActionDialog> m_dialog;
};

} // namespace bb::ui
