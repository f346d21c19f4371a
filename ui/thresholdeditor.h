// The threshold editor for one service: every policy field, checked as it is
// typed by the same reader as the configuration file; "apply keeping the
// window" or "apply and reset"; and a preview of what the values would have
// done to the last minutes of traffic, replayed by the engine on a virtual
// clock ("with these values it would have opened 2 times"). Over a fleet it
// says first which instances the values go to, and afterwards what each did.
#pragma once

#include "config/configloader.h"
#include "control/dashboardcontrol.h"
#include "core/whatif.h"

#include <QDialog>
#include <QTimer>

#include <map>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace bb::ui {

class DashboardLink;

class ThresholdEditor : public QDialog {
    Q_OBJECT
public:
    // seconds: the service's recorded calls, one entry a second, oldest first.
    ThresholdEditor(DashboardLink &link, const ServiceConfig &current, std::vector<SecondOfCalls> seconds,
                    QWidget *parent = nullptr);

    // Over a fleet: what applying will do on each instance, and where it goes.
    void setFleet(const QString &plan, control::Scope scope);
    QString planText() const;
    // What each instance answered, once it has.
    QString resultsText() const;

    // Field → message of the last check; empty when the values are valid.
    const std::map<std::string, QString> &errors() const { return m_errors; }
    QString previewText() const;
    void updatePreviewNow();

    QSpinBox *spin(const std::string &field) const;
    QDoubleSpinBox *percent(const std::string &field) const;
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *keepButton() const { return m_keep; }
    QPushButton *resetButton() const { return m_reset; }

signals:
    void answered(const bb::control::CommandResult &result);

private:
    void showOutcomes(const control::CommandResult &result);
    // The edit as sent to the control service (JSON of configuration keys).
    std::string editText() const;
    void check();
    void apply(WindowEdit edit);
    QSpinBox *addSpin(QFormLayout *form, const std::string &field, const QString &label, int max, int value,
                      const QString &suffix = {});
    QDoubleSpinBox *addPercent(QFormLayout *form, const std::string &field, const QString &label, double value);
    void addError(QFormLayout *form, const std::string &field);

    DashboardLink &m_link;
    ServiceConfig m_current;
    control::Scope m_scope;
    std::vector<SecondOfCalls> m_seconds;
    std::optional<BreakerPolicy> m_candidate;
    std::map<std::string, QSpinBox *> m_spins;
    std::map<std::string, QDoubleSpinBox *> m_percents;
    std::map<std::string, QLabel *> m_errorLabels;
    std::map<std::string, QString> m_errors;
    QComboBox *m_windowType;
    QCheckBox *m_slowRule;
    QCheckBox *m_maxWaitSet;
    QDoubleSpinBox *m_multiplier;
    QDoubleSpinBox *m_jitter;
    QLabel *m_general;
    QLabel *m_preview;
    QLabel *m_applyError;
    QLabel *m_plan;
    QLabel *m_results;
    QPushButton *m_cancel;
    QLineEdit *m_reason;
    QPushButton *m_keep;
    QPushButton *m_reset;
    QTimer m_previewTimer;
};

} // namespace bb::ui
