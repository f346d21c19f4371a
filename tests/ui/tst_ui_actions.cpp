// The dashboard's operator actions and dialogs on the offscreen platform,
// over a real control service: each action really changes the breaker and
// is in the audit log; cancel changes nothing; undo from the log, the
// threshold editor with its checks and preview, notifications, themes.
#include "dashboardcontrols.h"
#include "modeltesting.h"
#include "uitesting.h"
#include "windowtesting.h"

#include "control/localdashboardcontrol.h"
#include "ui/detailpane.h"
#include "ui/eventlogmodel.h"
#include "ui/grouptreemodel.h"
#include "ui/mainwindow.h"
#include "ui/servicesview.h"
#include "ui/servicetablemodel.h"
#include "ui/theme.h"
#include "ui/thresholdeditor.h"
#include "ui/trayalerts.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTreeView>

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

namespace {
struct WindowRig {
    ControlRig rig{parsed(kThreeServices)};
    DashboardControlOver over{*rig.control};
    DashboardLink link{*over.control};
    MainWindow window{link, nullptr};

    // One observation through the link, as the window gets them.
    void observe()
    {
        const int before = window.observationsApplied();
        rig.control->sample();
        QTRY_VERIFY(window.observationsApplied() > before);
    }
    std::size_t auditSize() const { return rig.control->audit(1000).size(); }
    ThresholdEditor *openEditor() { return openThresholdEditor(window); }
    persist::AuditEntry lastAudit() const { return rig.control->audit(1).back(); }
};

// Submits the dialog and waits for its answer (the dialog closes then).
void accept(ActionDialog *d, const QString &reason)
{
    QVERIFY(d);
    QSignalSpy answered(d, &QDialog::accepted);
    d->reasonEdit()->setText(reason);
    QPushButton *ok = d->buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    ok->click();
    QVERIFY(!ok->isEnabled()); // submitted once
    QVERIFY(answered.wait(5000));
}
} // namespace

class TestUiActions : public QObject {
    Q_OBJECT
private slots:
    void init() { qputenv("USER", "ops-tester"); }

    void forceOpenChangesTheBreakerAndIsAudited()
    {
        WindowRig w;
        w.observe();
        w.window.selectServices({"alpha"});
        ActionDialog *d = w.window.startAction(OperatorAction::ForceOpen);
        QVERIFY(d);
        QTRY_VERIFY(d->impactText().contains("alpha will reject all calls; callers get 503. (now closed)"));
        QVERIFY(!d->buttons()->button(QDialogButtonBox::Ok)->isEnabled()); // a reason is needed
        accept(d, "database migration");
        QCOMPARE(w.rig.state("alpha"), BreakerState::ForcedOpen);
        const persist::AuditEntry e = w.lastAudit();
        QCOMPARE(e.action, std::string("force_open"));
        QCOMPARE(e.target, std::string("breaker/alpha"));
        QCOMPARE(e.actor, std::string("ops-tester"));
        QCOMPARE(e.origin, guiOrigin("ops-tester"));
        QCOMPARE(e.reason, std::string("database migration"));
        QVERIFY(!e.expiresInS);
    }

    void cancelChangesNothing()
    {
        WindowRig w;
        w.observe();
        const std::size_t audited = w.auditSize();
        for (const OperatorAction a : {OperatorAction::ForceOpen, OperatorAction::ForceClosed, OperatorAction::Disable,
                                       OperatorAction::Reset, OperatorAction::HalfOpen}) {
            w.window.selectServices({"beta"});
            ActionDialog *d = w.window.startAction(a);
            QVERIFY(d);
            d->reasonEdit()->setText("not really");
            d->buttons()->button(QDialogButtonBox::Cancel)->click();
            QCOMPARE(w.rig.state("beta"), BreakerState::Closed);
            QCOMPARE(w.auditSize(), audited);
        }
    }

    void expiryAndMultiSelect()
    {
        WindowRig w;
        w.observe();
        w.window.selectServices({"alpha", "beta"});
        ActionDialog *d = w.window.startAction(OperatorAction::Disable);
        QTRY_VERIFY(d->impactText().startsWith("2 services:"));
        d->expiryCheck()->setChecked(true);
        d->expiryMinutes()->setValue(5);
        accept(d, "load test");
        QCOMPARE(w.rig.state("alpha"), BreakerState::Disabled);
        QCOMPARE(w.rig.state("beta"), BreakerState::Disabled);
        QCOMPARE(w.rig.state("gamma"), BreakerState::Closed);
        QCOMPARE(w.lastAudit().expiresInS, std::optional<std::int64_t>(300));
        QCOMPARE(w.rig.control->audit(2).front().target, std::string("breaker/alpha"));
        w.rig.clock.advance(std::chrono::minutes(5));
        QCOMPARE(w.rig.state("alpha"), BreakerState::Closed);

        // Reset and half-open take no expiry.
        w.window.selectServices({"gamma"});
        d = w.window.startAction(OperatorAction::Reset);
        QVERIFY(!d->expiryCheck()->isEnabled());
        d->close();
    }

    void halfOpenAndResetOfATrippedBreaker()
    {
        WindowRig w;
        calls(w.rig.engine, "alpha", 4, Outcome::Failure);
        w.observe();
        QCOMPARE(w.rig.state("alpha"), BreakerState::Open);
        w.window.selectServices({"alpha"});
        ActionDialog *d = w.window.startAction(OperatorAction::HalfOpen);
        QTRY_VERIFY(d->impactText().contains("alpha lets 3 trial calls through now; 3 successes close it. (now open)"));
        accept(d, "try now");
        QCOMPARE(w.rig.state("alpha"), BreakerState::HalfOpen);
        accept(w.window.startAction(OperatorAction::Reset), "healthy again");
        QCOMPARE(w.rig.state("alpha"), BreakerState::Closed);
        QCOMPARE(w.lastAudit().action, std::string("reset"));
    }

    void groupActionSaysWhatItDoesToTheMembers()
    {
        WindowRig w;
        w.observe();
        w.window.selectGroup("trio");
        ActionDialog *d = w.window.startAction(OperatorAction::ForceOpen);
        QTRY_VERIFY2(d->impactText().contains("trio group: 3 services will reject all calls (alpha, beta, gamma)."),
                     qPrintable(d->impactText()));
        accept(d, "drill");
        QCOMPARE(w.rig.engine.group("trio")->state(), BreakerState::ForcedOpen);
        QCOMPARE(w.lastAudit().target, std::string("group/trio"));
        QVERIFY(!w.rig.engine.breaker("alpha")->tryAcquire());
    }

    void nothingSelectedOpensNoDialog()
    {
        WindowRig w;
        w.observe();
        const std::size_t waiting = w.over.control->waiting();
        QVERIFY(!w.window.startAction(OperatorAction::ForceOpen));
        QSignalSpy opened(&w.window, &MainWindow::thresholdEditorOpened);
        w.window.openThresholdEditor();
        QCOMPARE(w.window.statusBar()->currentMessage(), QString("Select one service to edit its thresholds."));
        QCOMPARE(w.over.control->waiting(), waiting); // nothing was asked
        QCOMPARE(opened.size(), 0);
    }

    void undoFromTheLogRestoresTheState()
    {
        WindowRig w;
        w.observe();
        w.window.selectServices({"beta"});
        accept(w.window.startAction(OperatorAction::ForceClosed), "noisy alerts");
        w.observe();
        QCOMPARE(w.rig.state("beta"), BreakerState::ForcedClosed);
        int row = -1;
        for (int i = 0; i < w.window.logModel()->rowCount(); ++i)
            if (w.window.logModel()->entry(i).kind == LogEntry::Kind::Operator)
                row = i;
        QVERIFY(row >= 0);
        ActionDialog *d = w.window.startUndo(row);
        QVERIFY(d);
        QCOMPARE(d->reasonEdit()->text(), QString("undo force_closed (back to closed)"));
        accept(d, d->reasonEdit()->text());
        QCOMPARE(w.rig.state("beta"), BreakerState::Closed);
        QCOMPARE(w.lastAudit().action, std::string("reset"));
    }

    void shortcutsOpenTheDialogs()
    {
        WindowRig w;
        w.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w.window));
        w.window.activateWindow();
        w.observe();
        w.window.selectServices({"gamma"});
        QTest::keyClick(&w.window, Qt::Key_O, Qt::ControlModifier | Qt::ShiftModifier);
        ActionDialog *d = w.window.findChild<ActionDialog *>();
        QVERIFY(d);
        QVERIFY(d->windowTitle().startsWith("Force open: gamma"));
        d->close();
        QSignalSpy opened(&w.window, &MainWindow::thresholdEditorOpened);
        QTest::keyClick(&w.window, Qt::Key_E, Qt::ControlModifier);
        QVERIFY(opened.wait(5000));
    }

    void thresholdEditorChecksAsYouTypeAndPreviews()
    {
        WindowRig w;
        w.observe();
        calls(w.rig.engine, "alpha", 3, Outcome::Failure);
        calls(w.rig.engine, "alpha", 1, Outcome::Success);
        for (int s = 0; s < 3; ++s) {
            w.rig.clock.advance(std::chrono::seconds(1));
            w.observe();
        }
        QCOMPARE(w.rig.state("alpha"), BreakerState::Open);
        w.window.selectServices({"alpha"});
        ThresholdEditor *e = w.openEditor();
        QVERIFY(e);
        QVERIFY(e->previewText().contains("with the current values, once"));
        e->spin("half_open.success_threshold")->setValue(10);
        QVERIFY(e->errors().count("half_open.success_threshold"));
        QVERIFY(!e->keepButton()->isEnabled());
        e->spin("half_open.success_threshold")->setValue(3);
        e->percent("failure_threshold")->setValue(0);
        QVERIFY2(e->errors().count("failure_threshold"), "0% is refused");
        e->percent("failure_threshold")->setValue(80);
        QVERIFY(e->errors().empty());
        QVERIFY(!e->keepButton()->isEnabled()); // no reason yet
        e->updatePreviewNow();
        QVERIFY2(e->previewText().contains("with these values it would have opened 0 times"), qPrintable(e->previewText()));
        e->reasonEdit()->setText("fewer trips");
        QVERIFY(e->keepButton()->isEnabled());
        QSignalSpy applied(e, &QDialog::accepted);
        e->keepButton()->click();
        QVERIFY(!e->keepButton()->isEnabled()); // until answered
        QVERIFY(applied.wait(5000));
        QCOMPARE(w.rig.engine.breaker("alpha")->policy().failureRateThreshold, 80.0);
        QCOMPARE(w.rig.control->configuration().service("alpha")->policy.failureRateThreshold, 80.0);
        QCOMPARE(w.lastAudit().action, std::string("edit_policy"));
        QCOMPARE(w.lastAudit().reason, std::string("fewer trips"));

        // Cancel leaves the policy alone.
        const std::size_t audited = w.auditSize();
        e = w.openEditor();
        QVERIFY(e);
        e->percent("failure_threshold")->setValue(20);
        e->reasonEdit()->setText("no");
        e->reject();
        QCOMPARE(w.rig.engine.breaker("alpha")->policy().failureRateThreshold, 80.0);
        QCOMPARE(w.auditSize(), audited);
    }

    void monitorOnlyFromTheEditorIsMarkedEverywhere()
    {
        WindowRig w;
        calls(w.rig.engine, "alpha", 4, Outcome::Failure);
        w.observe();
        QCOMPARE(w.rig.state("alpha"), BreakerState::Open);
        w.window.selectServices({"alpha"});
        ThresholdEditor *e = w.openEditor();
        QVERIFY(e);
        QCOMPARE(e->percent("enforcement")->value(), 100.0);
        e->percent("enforcement")->setValue(150);
        QVERIFY2(e->errors().count("enforcement"), "150% is refused");
        e->percent("enforcement")->setValue(0);
        QVERIFY(e->errors().empty());
        e->reasonEdit()->setText("watch before enforcing");
        QSignalSpy applied(e, &QDialog::accepted);
        e->keepButton()->click();
        QVERIFY(applied.wait(5000));
        QCOMPARE(w.rig.engine.breaker("alpha")->policy().enforcement, 0.0);
        QCOMPARE(w.rig.control->configuration().service("alpha")->policy.enforcement, 0.0);

        calls(w.rig.engine, "alpha", 3, Outcome::Success); // let through, would be rejected
        w.observe();
        const ServiceTableModel &m = *w.window.serviceModel();
        const QModelIndex state = m.index(rowNamed(m, "alpha"), ServiceTableModel::State);
        QCOMPARE(state.data().toString(), QStringLiteral("would be open · monitor only"));
        QVERIFY(state.data(ServiceTableModel::OutlinedRole).toBool());
        QVERIFY(!m.index(rowNamed(m, "beta"), ServiceTableModel::State).data(ServiceTableModel::OutlinedRole).toBool());
        // And under its group.
        const QAbstractItemModel &groups = *w.window.services()->groupTree()->model();
        const QModelIndex trio = groups.index(rowNamed(groups, "trio"), 0);
        QCOMPARE(groups.index(rowNamed(groups, "alpha", trio), GroupTreeModel::State, trio).data().toString(),
                 QStringLiteral("would be open · monitor only"));
        QCOMPARE(m.index(rowNamed(m, "beta"), ServiceTableModel::State).data().toString(), QStringLiteral("closed"));
        // Both state columns have made room for the label, edited in while the dashboard ran.
        const int label = w.window.services()->serviceTree()->fontMetrics().horizontalAdvance(
            QStringLiteral("would be open · monitor only"));
        QVERIFY(w.window.services()->serviceTree()->columnWidth(ServiceTableModel::State) > label);
        QVERIFY(w.window.services()->groupTree()->columnWidth(GroupTreeModel::State) > label);
        QTRY_VERIFY2(w.window.detail()->headline().contains("Monitor only: 3 calls let through that it would have rejected"),
                     qPrintable(w.window.detail()->headline()));

        // The next transition says it was not enforced.
        w.rig.clock.advance(std::chrono::seconds(10));
        w.observe();
        bool marked = false;
        for (int i = 0; i < w.window.logModel()->rowCount(); ++i) {
            const LogEntry &entry = w.window.logModel()->entry(i);
            marked |= entry.subject == "alpha" && entry.what.startsWith("open → half_open") &&
                      entry.what.endsWith("(monitor only)");
        }
        QVERIFY(marked);
    }

    void thresholdEditorResetsTheWindowWhenAsked()
    {
        WindowRig w;
        calls(w.rig.engine, "beta", 3, Outcome::Failure);
        w.observe();
        w.window.selectServices({"beta"});
        ThresholdEditor *e = w.openEditor();
        QVERIFY(e);
        e->spin("volume_threshold")->setValue(4);
        e->reasonEdit()->setText("start over");
        QSignalSpy applied(e, &QDialog::accepted);
        e->resetButton()->click();
        QVERIFY(applied.wait(5000));
        QCOMPARE(w.rig.engine.breaker("beta")->snapshot(w.rig.clock.now()).window.calls, 0u);
    }

    void detailPaneExplainsTheTrip()
    {
        WindowRig w;
        calls(w.rig.engine, "alpha", 4, Outcome::Failure);
        w.observe();
        w.window.selectServices({"alpha"});
        QTRY_VERIFY(w.window.detail()->whyText().contains("failure rate 100% ≥ 50% over 4 calls"));
        QVERIFY(w.window.detail()->whyText().contains("Count window of 4 calls: 4 recorded, 4 failed"));
        w.window.selectGroup("trio");
        QTRY_VERIFY(w.window.detail()->headline().contains("1 of 3 members open"));
    }

    void notificationsOnOpenUnlessMuted()
    {
        WindowRig w;
        w.observe();
        w.window.alerts()->setMuted("beta", true);
        calls(w.rig.engine, "beta", 4, Outcome::Failure);
        w.observe();
        QCOMPARE(w.window.alerts()->notifications(), 0);
        calls(w.rig.engine, "alpha", 4, Outcome::Failure);
        w.observe();
        QCOMPARE(w.window.alerts()->notifications(), 2); // alpha, then the group it opens
        QCOMPARE(w.window.alerts()->worst(), BreakerState::Open);
    }

    void logExportsToAFile()
    {
        WindowRig w;
        calls(w.rig.engine, "gamma", 4, Outcome::Failure);
        w.observe();
        QTemporaryDir dir;
        const QString path = dir.filePath("events.csv");
        w.window.exportLog(path);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QCOMPARE(lines.at(0), QByteArray("Time,Kind,Service or group,What,By\r"));
        QVERIFY(lines.at(1).contains(",transition,gamma,closed → open: failure rate 100% ≥ 90% over 4 calls,"));
    }

    void themeFollowsTheChoice()
    {
        Theme theme(*qApp);
        QSignalSpy changed(&theme, &Theme::changed);
        theme.setMode(Theme::Mode::Dark);
        QVERIFY(theme.dark());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
        theme.setMode(Theme::Mode::Light);
        QVERIFY(!theme.dark());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 128);
        QCOMPARE(changed.count(), 2);
    }
};

QTEST_MAIN(TestUiActions)
#include "tst_ui_actions.moc"
