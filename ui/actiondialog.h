// Operator actions on the selected services or a group: force open, force
// closed, disable, reset, half-open now. The dialog asks for a reason and an
// optional expiry and says what will happen before anything does; over a
// fleet it says it for each instance, and afterwards what each one did.
#pragma once

#include "config/serviceconfig.h"
#include "control/controltypes.h"
#include "core/snapshot.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace bb::ui {

struct ActionTarget {
    bool group = false;
    std::vector<std::string> names; // one group, or one or more services
    // Over a fleet, by name: the instances the action goes to (none named:
    // every instance that has it). Names past its end go to every instance.
    std::vector<control::Scope> scopes;
    control::Scope scopeOf(std::size_t i) const { return i < scopes.size() ? scopes[i] : control::Scope{}; }
    bool empty() const { return names.empty(); }
};

QString actionTitle(OperatorAction action);
// Whether an expiry can be given (forced states and disable).
bool takesExpiry(OperatorAction action);
// What the action will do to these targets, in words, as of this snapshot.
QString impactOf(OperatorAction action, const ActionTarget &target, const EngineSnapshot &snapshot,
                 const Configuration &config);

class ActionDialog : public QDialog {
    Q_OBJECT
public:
    ActionDialog(OperatorAction action, const ActionTarget &target, const QString &impact, QWidget *parent = nullptr);

    std::string reason() const;
    std::optional<Duration> expiry() const;

    QLineEdit *reasonEdit() const { return m_reason; }
    QCheckBox *expiryCheck() const { return m_expires; }
    QSpinBox *expiryMinutes() const { return m_minutes; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    QString impactText() const;
    void setImpact(const QString &impact);
    // Submitted and waiting for the answer: nothing can be changed or
    // submitted again; "working…" shows while busy.
    void setWaiting(bool busy);
    // Answered over a fleet: what each instance did, kept on show until closed.
    void showResults(const QString &results, bool allDone);
    QString resultsText() const;

signals:
    // OK: the owner carries the action out and closes the dialog once it is answered.
    void submitted();

private:
    void updateOk();
    bool m_waiting = false;
    QLabel *m_working;
    QLineEdit *m_reason;
    QCheckBox *m_expires;
    QSpinBox *m_minutes;
    QLabel *m_impact;
    QLabel *m_resultsTitle;
    QLabel *m_results;
    QDialogButtonBox *m_buttons;
};

} // namespace bb::ui
