#include "thresholdeditor.h"

#include "dashboardlink.h"
#include "fleetplan.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace bb::ui {

namespace {
constexpr int kMaxInt = 1'000'000'000;
std::int64_t ms(Duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

// "half_open.permitted_calls" → {"half_open", "permitted_calls"}
void put(QJsonObject &root, const std::string &field, const QJsonValue &value)
{
    const auto dot = field.find('.');
    if (dot == std::string::npos) {
        root.insert(QString::fromStdString(field), value);
        return;
    }
    const QString outer = QString::fromStdString(field.substr(0, dot));
    QJsonObject inner = root.value(outer).toObject();
    inner.insert(QString::fromStdString(field.substr(dot + 1)), value);
    root.insert(outer, inner);
}
} // namespace

ThresholdEditor::ThresholdEditor(DashboardLink &link, const ServiceConfig &current, std::vector<SecondOfCalls> seconds,
                                 QWidget *parent)
    : QDialog(parent), m_link(link), m_current(current), m_seconds(std::move(seconds))
{
    const BreakerPolicy &p = current.policy;
    setWindowTitle(QStringLiteral("Thresholds: %1").arg(QString::fromStdString(current.name)));
    auto *form = new QFormLayout(this);
    m_plan = new QLabel;
    m_plan->setWordWrap(true);
    m_plan->hide();
    form->addRow(m_plan);

    m_windowType = new QComboBox;
    m_windowType->addItem(QStringLiteral("time (seconds)"), QStringLiteral("time"));
    m_windowType->addItem(QStringLiteral("count (calls)"), QStringLiteral("count"));
    m_windowType->setCurrentIndex(p.windowType == WindowType::Count ? 1 : 0);
    form->addRow(QStringLiteral("Window type"), m_windowType);
    connect(m_windowType, &QComboBox::currentIndexChanged, this, &ThresholdEditor::check);
    addSpin(form, "window.size", QStringLiteral("Window size"), kMaxInt, int(p.windowSize));
    addSpin(form, "volume_threshold", QStringLiteral("Minimum calls"), kMaxInt, int(p.minimumCalls));
    addPercent(form, "failure_threshold", QStringLiteral("Failure-rate threshold"), p.failureRateThreshold);

    m_slowRule = new QCheckBox(QStringLiteral("Slow-call rule"));
    m_slowRule->setChecked(p.slowCallRateThreshold.has_value());
    form->addRow(QString(), m_slowRule);
    connect(m_slowRule, &QCheckBox::toggled, this, &ThresholdEditor::check);
    addPercent(form, "slow_call.rate_threshold", QStringLiteral("Slow-call-rate threshold"),
               p.slowCallRateThreshold.value_or(50.0));
    addSpin(form, "slow_call.duration", QStringLiteral("Slow above"), kMaxInt, int(ms(p.slowCallDuration)),
            QStringLiteral(" ms"));
    addSpin(form, "consecutive_failures", QStringLiteral("Consecutive failures (0: off)"), kMaxInt,
            int(p.consecutiveFailures));
    addSpin(form, "recovery_timeout", QStringLiteral("Wait in open"), kMaxInt, int(ms(p.waitDuration)),
            QStringLiteral(" ms"));
    m_multiplier = new QDoubleSpinBox;
    m_multiplier->setRange(0, 1000);
    m_multiplier->setDecimals(2);
    m_multiplier->setValue(p.backoffMultiplier);
    form->addRow(QStringLiteral("Backoff multiplier"), m_multiplier);
    addError(form, "backoff.multiplier");
    connect(m_multiplier, &QDoubleSpinBox::valueChanged, this, &ThresholdEditor::check);
    m_maxWaitSet = new QCheckBox(QStringLiteral("Cap the wait"));
    m_maxWaitSet->setChecked(p.maxWait.has_value());
    form->addRow(QString(), m_maxWaitSet);
    connect(m_maxWaitSet, &QCheckBox::toggled, this, &ThresholdEditor::check);
    addSpin(form, "backoff.max_wait", QStringLiteral("Longest wait"), kMaxInt,
            int(ms(p.maxWait.value_or(p.waitDuration))), QStringLiteral(" ms"));
    m_jitter = new QDoubleSpinBox;
    m_jitter->setRange(0, 10);
    m_jitter->setDecimals(2);
    m_jitter->setSingleStep(0.05);
    m_jitter->setValue(p.jitter);
    form->addRow(QStringLiteral("Jitter (fraction of the wait)"), m_jitter);
    addError(form, "backoff.jitter");
    connect(m_jitter, &QDoubleSpinBox::valueChanged, this, &ThresholdEditor::check);
    addSpin(form, "half_open.permitted_calls", QStringLiteral("Trial calls in half-open"), kMaxInt,
            int(p.halfOpenPermittedCalls));
    addSpin(form, "half_open.success_threshold", QStringLiteral("Successes to close"), kMaxInt,
            int(p.halfOpenSuccessThreshold));
    addPercent(form, "enforcement", QStringLiteral("Enforcement (0: monitor only)"), p.enforcement)
        ->setToolTip(QStringLiteral("Share of the calls it would reject that the breaker rejects; the rest go "
                                    "through, counted as would_reject. States change the same either way."));

    m_general = new QLabel;
    m_general->setStyleSheet(QStringLiteral("color: #d73a3a"));
    m_general->setWordWrap(true);
    form->addRow(m_general);
    m_preview = new QLabel;
    m_preview->setWordWrap(true);
    form->addRow(QStringLiteral("Preview"), m_preview);
    m_reason = new QLineEdit;
    m_reason->setPlaceholderText(QStringLiteral("why (recorded in the audit log)"));
    form->addRow(QStringLiteral("Reason"), m_reason);
    connect(m_reason, &QLineEdit::textChanged, this, &ThresholdEditor::check);
    m_applyError = new QLabel;
    m_applyError->setStyleSheet(QStringLiteral("color: #d73a3a"));
    m_applyError->setWordWrap(true);
    form->addRow(m_applyError);
    m_results = new QLabel;
    m_results->setTextFormat(Qt::PlainText);
    m_results->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_results->hide();
    form->addRow(m_results);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_cancel = buttons->button(QDialogButtonBox::Cancel);
    m_keep = buttons->addButton(QStringLiteral("Apply keeping the window"), QDialogButtonBox::AcceptRole);
    m_reset = buttons->addButton(QStringLiteral("Apply and reset the window"), QDialogButtonBox::ApplyRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_keep, &QPushButton::clicked, this, [this] { apply(WindowEdit::Keep); });
    connect(m_reset, &QPushButton::clicked, this, [this] { apply(WindowEdit::Reset); });
    form->addRow(buttons);

    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(150);
    connect(&m_previewTimer, &QTimer::timeout, this, &ThresholdEditor::updatePreviewNow);
    check();
    updatePreviewNow();
}

QSpinBox *ThresholdEditor::addSpin(QFormLayout *form, const std::string &field, const QString &label, int max,
                                   int value, const QString &suffix)
{
    auto *s = new QSpinBox;
    s->setRange(0, max);
    s->setValue(value);
    s->setSuffix(suffix);
    s->setObjectName(QString::fromStdString(field));
    form->addRow(label, s);
    m_spins[field] = s;
    addError(form, field);
    connect(s, &QSpinBox::valueChanged, this, &ThresholdEditor::check);
    return s;
}

QDoubleSpinBox *ThresholdEditor::addPercent(QFormLayout *form, const std::string &field, const QString &label,
                                            double value)
{
    auto *s = new QDoubleSpinBox;
    s->setRange(0, 1000);
    s->setDecimals(1);
    s->setSuffix(QStringLiteral(" %"));
    s->setValue(value);
    s->setObjectName(QString::fromStdString(field));
    form->addRow(label, s);
    m_percents[field] = s;
    addError(form, field);
    connect(s, &QDoubleSpinBox::valueChanged, this, &ThresholdEditor::check);
    return s;
}

void ThresholdEditor::addError(QFormLayout *form, const std::string &field)
{
    auto *l = new QLabel;
    l->setStyleSheet(QStringLiteral("color: #d73a3a"));
    l->setVisible(false);
    form->addRow(QString(), l);
    m_errorLabels[field] = l;
}

void ThresholdEditor::setFleet(const QString &plan, control::Scope scope)
{
    m_scope = std::move(scope);
    m_plan->setText(plan);
    m_plan->show();
    if (m_scope.instances.size() == 1)
        setWindowTitle(windowTitle() + QStringLiteral(" on ") + QString::fromStdString(m_scope.instances.front()));
}

QString ThresholdEditor::planText() const { return m_plan->text(); }
QString ThresholdEditor::resultsText() const { return m_results->isHidden() ? QString() : m_results->text(); }

QSpinBox *ThresholdEditor::spin(const std::string &field) const { return m_spins.at(field); }
QDoubleSpinBox *ThresholdEditor::percent(const std::string &field) const { return m_percents.at(field); }
QString ThresholdEditor::previewText() const { return m_preview->text(); }

std::string ThresholdEditor::editText() const
{
    QJsonObject o;
    put(o, "window.type", m_windowType->currentData().toString());
    for (const auto &[field, s] : m_spins) {
        if (field == "backoff.max_wait" && !m_maxWaitSet->isChecked())
            continue;
        put(o, field, s->value());
    }
    put(o, "failure_threshold", m_percents.at("failure_threshold")->value() / 100.0);
    if (m_slowRule->isChecked())
        put(o, "slow_call.rate_threshold", m_percents.at("slow_call.rate_threshold")->value() / 100.0);
    put(o, "enforcement", m_percents.at("enforcement")->value());
    put(o, "backoff.multiplier", m_multiplier->value());
    put(o, "backoff.jitter", m_jitter->value());
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

void ThresholdEditor::check()
{
    m_errors.clear();
    const PolicyEditResult result = applyPolicyEdit(m_current, editText());
    for (const ConfigIssue &issue : result.errors) {
        std::string field;
        for (const auto &[name, label] : m_errorLabels)
            if (issue.message.rfind(name + " ", 0) == 0 && name.size() > field.size())
                field = name;
        m_errors[field.empty() ? std::string("policy") : field] = QString::fromStdString(issue.message);
    }
    if (!m_slowRule->isChecked() && m_current.policy.slowCallRateThreshold)
        m_errors["slow_call.rate_threshold"] = QStringLiteral(
            "the slow-call rule cannot be switched off while running; remove it from the configuration file");
    for (const auto &[field, label] : m_errorLabels) {
        const auto e = m_errors.find(field);
        label->setVisible(e != m_errors.end());
        label->setText(e != m_errors.end() ? e->second : QString());
    }
    const auto general = m_errors.find("policy");
    m_general->setText(general != m_errors.end() ? general->second : QString());
    m_percents.at("slow_call.rate_threshold")->setEnabled(m_slowRule->isChecked());
    m_spins.at("backoff.max_wait")->setEnabled(m_maxWaitSet->isChecked());

    m_candidate.reset();
    if (m_errors.empty() && result.service)
        m_candidate = result.service->policy;
    const bool canApply = m_candidate && !m_reason->text().trimmed().isEmpty();
    m_keep->setEnabled(canApply);
    m_reset->setEnabled(canApply);
    m_previewTimer.start();
}

void ThresholdEditor::updatePreviewNow()
{
    m_previewTimer.stop();
    if (!m_candidate) {
        m_preview->setText(QStringLiteral("Fix the values above to see their effect."));
        return;
    }
    std::uint64_t calls = 0;
    for (const SecondOfCalls &s : m_seconds)
        calls += s.calls;
    if (m_seconds.empty()) {
        m_preview->setText(QStringLiteral("No traffic recorded yet to preview against."));
        return;
    }
    const WhatIfResult now = replaySeconds(m_current.policy, m_seconds);
    const WhatIfResult with = replaySeconds(*m_candidate, m_seconds);
    const auto times = [](int n) { return n == 1 ? QStringLiteral("once") : QStringLiteral("%1 times").arg(n); };
    const auto away = [](const WhatIfResult &r) {
        return r.wouldReject == 0 ? QStringLiteral("%1 calls").arg(r.rejected)
                                  : QStringLiteral("%1 calls (letting through %2 more it would have turned away)")
                                        .arg(r.rejected)
                                        .arg(r.wouldReject);
    };
    m_preview->setText(QStringLiteral("Over the last %1 s (%2 calls), with these values it would have opened %3 "
                                      "and turned away %4; with the current values, %5 and %6.")
                           .arg(m_seconds.size())
                           .arg(calls)
                           .arg(times(with.opens), away(with), times(now.opens), away(now)));
}

void ThresholdEditor::apply(WindowEdit edit)
{
    check();
    if (!m_candidate)
        return;
    // Held until the answer, "applying…" while it takes long.
    for (QWidget *w : std::initializer_list<QWidget *>{m_keep, m_reset})
        w->setEnabled(false);
    control::DashboardControl &control = m_link.control();
    const auto waiting = connect(&control, &control::CommandQueue::busyChanged, this, [this](bool busy) {
        m_applyError->setText(busy ? QStringLiteral("Applying…") : QString());
    });
    m_link.editPolicy(m_current.name, editText(), edit, m_reason->text().trimmed().toStdString(), m_scope)
        .then(this, [this, waiting](const control::CommandResult &r) {
            disconnect(waiting);
            emit answered(r);
            if (!r.instances.empty()) {
                showOutcomes(r);
                return;
            }
            if (r.ok()) {
                m_applyError->clear();
                accept();
                return;
            }
            check();
            QStringList lines;
            for (const control::FieldError &e : r.errors)
                lines << QString::fromStdString(e.field + ": " + e.message);
            m_applyError->setText(r.status == control::CommandResult::Status::NotFound
                                      ? QStringLiteral("The service is gone.")
                                      : lines.join(QLatin1Char('\n')));
        });
}

void ThresholdEditor::showOutcomes(const control::CommandResult &result)
{
    check(); // the values can be sent again, to the instances that did not take them
    m_applyError->setText(result.ok() ? QString() : QStringLiteral("Not applied on every instance:"));
    m_results->setText((result.ok() ? QStringLiteral("Applied on every instance:\n") : QString()) +
                       outcomeLines(result, false).join(QLatin1Char('\n')));
    m_results->show();
    m_cancel->setText(QStringLiteral("Close"));
}

} // namespace bb::ui
