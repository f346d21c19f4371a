#include "operatoractions.h"

#include "dashboardlink.h"
#include "dashboardstate.h"
#include "eventlogmodel.h"
#include "fleetplan.h"
#include "servicesview.h"
#include "thresholdeditor.h"
#include "trayalerts.h"

#include <QAction>
#include <QDateTime>
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
    if (r.status == control::CommandResult::Status::Unavailable)
        problems << QStringLiteral("%1: not reached — %2").arg(subject, r.unavailable);
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
    auto config = std::make_shared<std::optional<Configuration>>();
    const auto tell = [this, action, target, dialog, config] {
        if (!*config)
            return;
        const auto &snapshot = m_context.state.snapshot();
        QString impact = snapshot ? impactOf(action, target, *snapshot, **config) : QString();
        if (const control::FleetView *fleet = m_context.state.fleet())
            impact = actionPlan(action, target, *fleet) + QStringLiteral("\n\n") + impact;
        dialog->setImpact(impact);
    };
    m_context.link.control().configuration().then(dialog, [config, tell](const Configuration &c) {
        *config = c;
        tell();
    });
    // Over a fleet, instances come and go while the operator reads: the plan follows them until it is submitted.
    const auto follow = connect(&m_context.link, &DashboardLink::observed, dialog, [this, tell] {
        if (m_context.state.fleet())
            tell();
    });
    connect(dialog, &ActionDialog::submitted, dialog, [follow] { disconnect(follow); });
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
    else if (!undo->instance.empty()) // over a fleet: undone where it was done
        m_context.services.selectInstance(QString::fromStdString(undo->target), QString::fromStdString(undo->instance));
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
    auto answers = std::make_shared<Answers>();
    auto left = std::make_shared<std::size_t>(target.names.size());
    const QPointer<ActionDialog> open(dialog);
    for (std::size_t i = 0; i < target.names.size(); ++i) {
        const std::string name = target.names[i];
        // Answered in order: the last answer finishes.
        m_context.link.changeState(target.group ? control::TargetKind::Group : control::TargetKind::Breaker, name,
                                   action, dialog->reason(), dialog->expiry(), target.scopeOf(i))
            .then(this, [=, this](const control::CommandResult &r) {
                collect(*answers, action, target, name, r);
                if (--*left > 0)
                    return;
                disconnect(waiting);
                finish(action, target, *answers, open);
            });
    }
}

void OperatorActions::collect(Answers &answers, OperatorAction action, const ActionTarget &target,
                              const std::string &name, const control::CommandResult &result)
{
    if (result.instances.empty()) {
        answers.problems << problemsOf(name, target.group, result);
        return;
    }
    answers.fleet = true;
    answers.allDone = answers.allDone && result.ok();
    logOutcomes(QLatin1String(nameOf(action)), name, target.group, result);
    const QStringList lines = outcomeLines(result, target.group);
    if (target.names.size() == 1) {
        answers.outcomes << lines;
        return;
    }
    answers.outcomes << QString::fromStdString(name) + QLatin1Char(':');
    for (const QString &l : lines)
        answers.outcomes << QStringLiteral("    ") + l;
}

void OperatorActions::finish(OperatorAction action, const ActionTarget &target, const Answers &answers,
                             ActionDialog *dialog)
{
    const QString title = QStringLiteral("%1 not done").arg(actionTitle(action));
    if (!answers.fleet) {
        if (dialog)
            dialog->accept();
        if (!answers.problems.isEmpty())
            QMessageBox::warning(m_window, title, answers.problems.join(QLatin1Char('\n')));
        else
            say(QStringLiteral("%1: done for %2").arg(actionTitle(action)).arg(target.names.size()));
        return;
    }
    // Over a fleet what each instance did stays on show, a failure first of all.
    const bool allDone = answers.allDone && answers.problems.isEmpty();
    const QString results = (answers.outcomes + answers.problems).join(QLatin1Char('\n'));
    if (dialog)
        dialog->showResults(results, allDone);
    else if (!allDone)
        QMessageBox::warning(m_window, title, results);
    say(allDone ? QStringLiteral("%1: done on every instance").arg(actionTitle(action))
                : QStringLiteral("%1: not done on every instance").arg(actionTitle(action)));
}

void OperatorActions::logOutcomes(const QString &command, const std::string &name, bool group,
                                  const control::CommandResult &result)
{
    const auto &snapshot = m_context.state.snapshot();
    const std::int64_t now = snapshot ? snapshot->wallMs : QDateTime::currentMSecsSinceEpoch();
    const control::Actor actor = m_context.link.actor();
    const QString by = QStringLiteral("%1 (%2)").arg(QString::fromStdString(actor.name), QString::fromStdString(actor.origin));
    const QString subject = group ? QStringLiteral("group ") + QString::fromStdString(name) : QString::fromStdString(name);
    for (const control::InstanceOutcome &o : result.instances)
        m_context.log.addOutcome(now, subject,
                                 QStringLiteral("%1 on %2: %3")
                                     .arg(command, QString::fromStdString(o.instance), outcomeText(o.result, group)),
                                 by);
}

void OperatorActions::openThresholdEditor()
{
    const ActionTarget target = m_context.services.target();
    if (target.group || target.names.size() != 1) {
        say(QStringLiteral("Select one service to edit its thresholds."));
        return;
    }
    const std::string name = target.names.front();
    const control::Scope scope = target.scopeOf(0);
    m_context.link.control().configuration().then(this, [this, name, scope](const Configuration &config) {
        const ServiceConfig *service = config.service(name);
        // One instance selected: its own values, previewed on its own traffic.
        const DashboardState *one = scope.instances.size() == 1 ? m_context.state.instance(scope.instances.front()) : nullptr;
        const DashboardState &state = one ? *one : m_context.state;
        const int row = state.rowOf(name);
        if (!service || row < 0)
            return;
        ServiceConfig shown = *service;
        if (const BreakerSnapshot *b = one && one->snapshot() ? one->snapshot()->breaker(name) : nullptr)
            shown.policy = b->policy;
        auto *editor = new ThresholdEditor(m_context.link, shown, state.recordedSeconds(row), m_window);
        editor->setAttribute(Qt::WA_DeleteOnClose);
        if (m_context.state.fleet())
            editor->setFleet(editPlan(name, scope, m_context.state, shown.policy), scope);
        connect(editor, &ThresholdEditor::answered, this, [this, name](const control::CommandResult &r) {
            logOutcomes(QStringLiteral("edit_policy"), name, false, r);
        });
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
