#include "operatoractions.h"

#include "dashboardlink.h"
#include "dashboardstate.h"
#include "eventlogmodel.h"
#include "servicesview.h"
#include "thresholdeditor.h"
#include "trayalerts.h"

#include <QAction>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

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

// What went wrong with one target's command; empty when it was done.
QStringList problemsOf(const std::string &name, bool group, const control::CommandResult &r)
{
    QStringList problems;
    const QString subject = QString::fromStdString(name);
    if (r.status == control::CommandResult::Status::NotFound)
        problems << QStringLiteral("%1: no such %2").arg(subject, group ? QStringLiteral("group") : QStringLiteral("service"));
    for (const control::FieldError &e : r.errors)
        problems << QStringLiteral("%1: %2").arg(subject, QString::fromStdString(e.message));
    return problems;
}
} // namespace

OperatorActions::OperatorActions(Context context, QMainWindow *window)
    : QObject(window), m_context(context), m_window(window)
{
    for (const ActionSpec &spec : kActions) {
        QAction *a = new QAction(actionTitle(spec.action), this);
        a->setShortcut(QKeySequence(QString::fromLatin1(spec.shortcut)));
        a->setToolTip(QStringLiteral("%1 (%2)").arg(QString::fromLatin1(spec.tip), QString::fromLatin1(spec.shortcut)));
        const OperatorAction action = spec.action;
        connect(a, &QAction::triggered, this, [this, action] { startAction(action); });
        m_actions << a;
    }
    QAction *edit = new QAction(QStringLiteral("Edit thresholds…"), this);
    edit->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    connect(edit, &QAction::triggered, this, &OperatorActions::openThresholdEditor);
    m_actions << edit;
    // Held while a command waits, so that no second one queues up behind it.
    connect(&m_context.link.control(), &control::CommandQueue::busyChanged, this, [this](bool busy) {
        for (QAction *a : std::as_const(m_actions))
            a->setEnabled(!busy);
    });
}

void OperatorActions::say(const QString &message) { m_window->statusBar()->showMessage(message, 4000); }

ActionDialog *OperatorActions::startAction(OperatorAction action)
{
    const ActionTarget target = m_context.services.target();
    if (target.empty()) {
        say(QStringLiteral("Select one or more services, or a group, first."));
        return nullptr;
    }
    if (m_dialog)
        m_dialog->close();
    auto *dialog = new ActionDialog(action, target, QStringLiteral("Working out what it will do…"), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ActionDialog::submitted, this, [this, action, target, dialog] { apply(action, target, dialog); });
    m_context.link.control().configuration().then(dialog, [this, action, target, dialog](const Configuration &config) {
        if (const auto &snapshot = m_context.state.snapshot())
            dialog->setImpact(impactOf(action, target, *snapshot, config));
        else
            dialog->setImpact({});
    });
    m_dialog = dialog;
    dialog->open();
    return dialog;
}

ActionDialog *OperatorActions::startUndo(int logRow)
{
    const std::optional<Undo> undo = m_context.log.undoOf(logRow);
    if (!undo)
        return nullptr;
    if (undo->group)
        m_context.services.selectGroup(QString::fromStdString(undo->target));
    else
        m_context.services.selectServices({QString::fromStdString(undo->target)});
    ActionDialog *dialog = startAction(undo->action);
    if (dialog) {
        const auto &audit = m_context.log.entry(logRow).audit;
        dialog->reasonEdit()->setText(QStringLiteral("undo %1 (back to %2)")
                                          .arg(QString::fromStdString(audit ? audit->action : std::string()),
                                               QLatin1String(nameOf(undo->restores))));
    }
    return dialog;
}

void OperatorActions::apply(OperatorAction action, const ActionTarget &target, ActionDialog *dialog)
{
    control::DashboardControl &control = m_context.link.control();
    const auto waiting = connect(&control, &control::CommandQueue::busyChanged, dialog, &ActionDialog::setWaiting);
    auto problems = std::make_shared<QStringList>();
    auto left = std::make_shared<std::size_t>(target.names.size());
    const QPointer<ActionDialog> open(dialog);
    for (const std::string &name : target.names) {
        // Answered in order: the last answer closes the dialog.
        m_context.link.changeState(target.group ? control::TargetKind::Group : control::TargetKind::Breaker, name,
                                   action, dialog->reason(), dialog->expiry())
            .then(this, [=, this](const control::CommandResult &r) {
                *problems << problemsOf(name, target.group, r);
                if (--*left > 0)
                    return;
                disconnect(waiting);
                if (open)
                    open->accept();
                if (!problems->isEmpty())
                    QMessageBox::warning(m_window, QStringLiteral("%1 not done").arg(actionTitle(action)),
                                         problems->join(QLatin1Char('\n')));
                else
                    say(QStringLiteral("%1: done for %2").arg(actionTitle(action)).arg(target.names.size()));
            });
    }
}

void OperatorActions::openThresholdEditor()
{
    const ActionTarget target = m_context.services.target();
    if (target.group || target.names.size() != 1) {
        say(QStringLiteral("Select one service to edit its thresholds."));
        return;
    }
    const std::string name = target.names.front();
    m_context.link.control().configuration().then(this, [this, name](const Configuration &config) {
        const ServiceConfig *service = config.service(name);
        const int row = m_context.state.rowOf(name);
        if (!service || row < 0)
            return;
        auto *editor = new ThresholdEditor(m_context.link, *service, m_context.state.recordedSeconds(row), m_window);
        editor->setAttribute(Qt::WA_DeleteOnClose);
        editor->open();
        emit thresholdEditorOpened(editor);
    });
}

void OperatorActions::showContextMenu(const QStringList &services, const QPoint &globalPos)
{
    const ActionTarget target = m_context.services.target();
    QMenu menu;
    for (const ActionSpec &spec : kActions) {
        const OperatorAction action = spec.action;
        menu.addAction(actionTitle(action) + QStringLiteral("…"), this, [this, action] { startAction(action); });
    }
    if (services.size() == 1) {
        menu.addSeparator();
        menu.addAction(QStringLiteral("Edit thresholds…"), this, &OperatorActions::openThresholdEditor);
    }
    const QString subject = target.group ? QStringLiteral("group ") + QString::fromStdString(target.names.front())
                                         : (services.size() == 1 ? services.front() : QString());
    if (!subject.isEmpty()) {
        TrayAlerts &alerts = m_context.alerts;
        QAction *mute = menu.addAction(QStringLiteral("Mute notifications"));
        mute->setCheckable(true);
        mute->setChecked(alerts.isMuted(subject));
        connect(mute, &QAction::toggled, this, [&alerts, subject](bool on) { alerts.setMuted(subject, on); });
    }
    menu.exec(globalPos);
}

} // namespace bb::ui
