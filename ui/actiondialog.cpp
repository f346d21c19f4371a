#include "actiondialog.h"

#include "dashboardstate.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace bb::ui {

namespace {
QString str(const std::string &s) { return QString::fromStdString(s); }

QString fallbackNote(const ServiceConfig *service)
{
    if (!service)
        return {};
    const FallbackConfig &f = service->fallback;
    switch (f.strategy) {
    case FallbackStrategy::None: return QStringLiteral("callers get 503");
    case FallbackStrategy::Default: return QStringLiteral("callers get the default answer (%1)").arg(f.status);
    case FallbackStrategy::Cache: return QStringLiteral("callers get cached answers where there are any");
    case FallbackStrategy::AlternativeService:
        return QStringLiteral("calls go to %1 instead").arg(str(f.alternative));
    }
    return {};
}

QString names(const std::vector<std::string> &list)
{
    QStringList out;
    for (const auto &n : list)
        out << str(n);
    return out.join(QStringLiteral(", "));
}
} // namespace

QString actionTitle(OperatorAction action)
{
    switch (action) {
    case OperatorAction::ForceOpen: return QStringLiteral("Force open");
    case OperatorAction::ForceClosed: return QStringLiteral("Force closed");
    case OperatorAction::Disable: return QStringLiteral("Disable");
    case OperatorAction::Reset: return QStringLiteral("Reset");
    case OperatorAction::HalfOpen: return QStringLiteral("Half-open now");
    }
    return {};
}

bool takesExpiry(OperatorAction action)
{
    return action == OperatorAction::ForceOpen || action == OperatorAction::ForceClosed ||
           action == OperatorAction::Disable;
}

QString impactOf(OperatorAction action, const ActionTarget &target, const EngineSnapshot &snapshot,
                 const Configuration &config)
{
    QStringList lines;
    if (target.group) {
        const GroupSnapshot *g = target.names.empty() ? nullptr : snapshot.group(target.names.front());
        if (!g)
            return QStringLiteral("No such group.");
        const QString who = QStringLiteral("%1 group").arg(str(g->name));
        const int n = int(g->members.size());
        switch (action) {
        case OperatorAction::ForceOpen:
            lines << QStringLiteral("%1: %2 services will reject all calls (%3).").arg(who).arg(n).arg(names(g->members));
            for (const auto &m : g->members)
                lines << QStringLiteral("  %1: %2").arg(str(m), fallbackNote(config.service(m)));
            break;
        case OperatorAction::ForceClosed:
            lines << QStringLiteral("%1 will not reject calls, however many of its %2 members open; each member's "
                                    "own breaker still decides.").arg(who).arg(n);
            break;
        case OperatorAction::Disable:
            lines << QStringLiteral("%1 stops judging its %2 members; each member's own breaker still decides.")
                         .arg(who).arg(n);
            break;
        case OperatorAction::Reset:
            lines << QStringLiteral("%1 and its %2 members return to closed with empty windows (%3).")
                         .arg(who).arg(n).arg(names(g->members));
            break;
        case OperatorAction::HalfOpen:
            lines << QStringLiteral("%1 lets trial calls through to its members now.").arg(who);
            break;
        }
        lines.prepend(QStringLiteral("Now: %1, %2 of %3 members open.").arg(stateLabel(g->state)).arg(g->membersOpen).arg(n));
        return lines.join(QLatin1Char('\n'));
    }
    for (const std::string &name : target.names) {
        const BreakerSnapshot *b = snapshot.breaker(name);
        if (!b) {
            lines << QStringLiteral("%1: no such service.").arg(str(name));
            continue;
        }
        const QString now = QStringLiteral(" (now %1)").arg(stateLabel(b->state));
        switch (action) {
        case OperatorAction::ForceOpen:
            lines << QStringLiteral("%1 will reject all calls; %2.%3").arg(str(name), fallbackNote(config.service(name)), now);
            break;
        case OperatorAction::ForceClosed:
            lines << QStringLiteral("%1 will let every call through, whatever its failure rate.%2").arg(str(name), now);
            break;
        case OperatorAction::Disable:
            lines << QStringLiteral("%1 will let every call through and stop judging them.%2").arg(str(name), now);
            break;
        case OperatorAction::Reset:
            lines << QStringLiteral("%1 returns to closed with an empty window.%2").arg(str(name), now);
            break;
        case OperatorAction::HalfOpen:
            lines << QStringLiteral("%1 lets %2 trial calls through now; %3 successes close it.%4")
                         .arg(str(name))
                         .arg(b->policy.halfOpenPermittedCalls)
                         .arg(b->policy.halfOpenSuccessThreshold)
                         .arg(now);
            break;
        }
    }
    if (target.names.size() > 1)
        lines.prepend(QStringLiteral("%1 services:").arg(target.names.size()));
    return lines.join(QLatin1Char('\n'));
}

ActionDialog::ActionDialog(OperatorAction action, const ActionTarget &target, const QString &impact, QWidget *parent)
    : QDialog(parent)
{
    QString subject = target.group ? QStringLiteral("group %1").arg(names(target.names))
                                   : (target.names.size() == 1 ? names(target.names)
                                                               : QStringLiteral("%1 services").arg(target.names.size()));
    if (target.names.size() == 1 && !target.scopeOf(0).instances.empty())
        subject += QStringLiteral(" on %1").arg(names(target.scopeOf(0).instances));
    setWindowTitle(QStringLiteral("%1: %2").arg(actionTitle(action), subject));
    m_impact = new QLabel(impact);
    m_impact->setWordWrap(true);
    m_impact->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason = new QLineEdit;
    m_reason->setPlaceholderText(QStringLiteral("why (recorded in the audit log)"));
    m_expires = new QCheckBox(QStringLiteral("Ends by itself after"));
    m_minutes = new QSpinBox;
    m_minutes->setRange(1, 30 * 24 * 60);
    m_minutes->setValue(15);
    m_minutes->setSuffix(QStringLiteral(" min"));
    m_minutes->setEnabled(false);
    const bool expiry = takesExpiry(action);
    m_expires->setEnabled(expiry);
    connect(m_expires, &QCheckBox::toggled, m_minutes, &QSpinBox::setEnabled);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(actionTitle(action));
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        emit submitted(); // which reads the reason and expiry before they are held
        setWaiting(false);
    });
    m_working = new QLabel(QStringLiteral("Working…"));
    m_working->hide();
    m_resultsTitle = new QLabel;
    m_resultsTitle->hide();
    m_results = new QLabel;
    m_results->setWordWrap(true);
    m_results->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_results->hide();
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this, &ActionDialog::updateOk);

    auto *form = new QFormLayout(this);
    form->addRow(new QLabel(QStringLiteral("<b>What will happen</b>")));
    form->addRow(m_impact);
    form->addRow(QStringLiteral("Reason"), m_reason);
    if (expiry) {
        auto *row = new QWidget;
        auto *h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(m_expires);
        h->addWidget(m_minutes);
        form->addRow(QStringLiteral("Expiry"), row);
    }
    form->addRow(m_working);
    form->addRow(m_resultsTitle);
    form->addRow(m_results);
    form->addRow(m_buttons);
    updateOk();
    setMinimumWidth(460);
}

void ActionDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_waiting && !m_reason->text().trimmed().isEmpty());
}

void ActionDialog::setImpact(const QString &impact) { m_impact->setText(impact); }

void ActionDialog::setWaiting(bool busy)
{
    m_waiting = true;
    for (QWidget *w : std::initializer_list<QWidget *>{m_reason, m_expires, m_minutes, m_buttons})
        w->setEnabled(false);
    m_working->setVisible(busy);
}

void ActionDialog::showResults(const QString &results, bool allDone)
{
    m_working->hide();
    m_resultsTitle->setText(allDone ? QStringLiteral("<b>What happened</b>")
                                    : QStringLiteral("<b><font color=#d73a3a>What happened: not done everywhere</font></b>"));
    m_results->setText(results);
    m_resultsTitle->show();
    m_results->show();
    m_buttons->setEnabled(true);
    m_buttons->button(QDialogButtonBox::Ok)->hide();
    m_buttons->button(QDialogButtonBox::Cancel)->setText(QStringLiteral("Close"));
}

QString ActionDialog::resultsText() const { return m_results->isHidden() ? QString() : m_results->text(); }

std::string ActionDialog::reason() const { return m_reason->text().trimmed().toStdString(); }

std::optional<Duration> ActionDialog::expiry() const
{
    if (!m_expires->isEnabled() || !m_expires->isChecked())
        return std::nullopt;
    return std::chrono::minutes(m_minutes->value());
}

QString ActionDialog::impactText() const { return m_impact->text(); }

} // namespace bb::ui
