// Operator actions and threshold edits over a fleet, on the offscreen
// platform with real widgets: the dialog says what will happen on each
// instance before anything is sent, the command goes to every instance or to
// the one selected with the operator's actor and reason, and afterwards the
// dialog shows what each instance did, a failure included, and the event log
// has a line for each.
#include "fleettesting.h"

#include "ui/eventlogmodel.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

namespace {
// The event log's lines of what instances answered.
QStringList outcomes(const MainWindow &window)
{
    QStringList lines;
    const EventLogModel &log = *window.logModel();
    for (int r = 0; r < log.rowCount(); ++r)
        if (log.entry(r).kind == LogEntry::Kind::Outcome)
            lines << log.entry(r).subject + " | " + log.entry(r).what + " | " + log.entry(r).by;
    return lines;
}

void submit(ActionDialog *d, const QString &reason)
{
    d->reasonEdit()->setText(reason);
    QPushButton *ok = d->buttons()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    ok->click();
}
} // namespace

class TestUiFleetActions : public QObject {
    Q_OBJECT
private slots:
    void init() { qputenv("USER", "ops-tester"); }

    void anActionGoesToEveryInstanceAndSaysWhatEachDid()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.window.selectServices({"alpha"});
        const QPointer<ActionDialog> d = w.window.startAction(OperatorAction::ForceOpen);
        QVERIFY(d);
        QCOMPARE(d->windowTitle(), QString("Force open: alpha"));
        QTRY_VERIFY2(d->impactText().startsWith("On every instance that has it:\n"
                                                "eu-1: open → forced open\n"
                                                "eu-2: closed → forced open\n"
                                                "eu-3: not connected — unchanged\n\n"),
                     qPrintable(d->impactText()));
        QVERIFY(d->impactText().contains("alpha will reject all calls"));
        QVERIFY(w.control.sent.empty());

        submit(d, "upstream outage");
        QTRY_VERIFY(!d->resultsText().isEmpty());
        QCOMPARE(w.control.sent.size(), std::size_t(1));
        const SentCommand &sent = w.control.sent.front();
        QCOMPARE(sent.name, std::string("alpha"));
        QCOMPARE(sent.action, OperatorAction::ForceOpen);
        QVERIFY(sent.scope.instances.empty()); // every instance that has it
        QCOMPARE(sent.reason, std::string("upstream outage"));
        QCOMPARE(sent.actor.name, std::string("ops-tester"));
        QCOMPARE(sent.actor.origin, std::string("gui"));

        // The failure stays on show with the rest, and each answer is in the log.
        QCOMPARE(d->resultsText(), QString("eu-1: done\neu-2: done\neu-3: not reached — connection refused"));
        QVERIFY(!d->buttons()->button(QDialogButtonBox::Ok)->isVisibleTo(d));
        QCOMPARE(d->buttons()->button(QDialogButtonBox::Cancel)->text(), QString("Close"));
        QCOMPARE(w.window.statusBar()->currentMessage(), QString("Force open: not done on every instance"));
        QCOMPARE(outcomes(w.window), QStringList({"alpha | force_open on eu-1: done | ops-tester (gui)",
                                            "alpha | force_open on eu-2: done | ops-tester (gui)",
                                            "alpha | force_open on eu-3: not reached — connection refused | ops-tester (gui)"}));
        d->buttons()->button(QDialogButtonBox::Cancel)->click();
        QTRY_VERIFY(!d);
    }

    void anInstanceRowNarrowsTheActionToThatInstance()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.window.selectInstance("alpha", "eu-2");
        ActionDialog *d = w.window.startAction(OperatorAction::ForceOpen);
        QVERIFY(d);
        QCOMPARE(d->windowTitle(), QString("Force open: alpha on eu-2"));
        QTRY_VERIFY2(d->impactText().startsWith("Only on eu-2 (as selected); the other instances are left alone:\n"
                                                "eu-1: not selected — unchanged\n"
                                                "eu-2: closed → forced open\n"
                                                "eu-3: not selected — unchanged"),
                     qPrintable(d->impactText()));
        submit(d, "drain eu-2");
        QTRY_VERIFY(!d->resultsText().isEmpty());
        QCOMPARE(w.control.sent.back().scope.instances, std::vector<std::string>{"eu-2"});
        QCOMPARE(d->resultsText(), QString("eu-2: done"));
        QCOMPARE(w.window.statusBar()->currentMessage(), QString("Force open: done on every instance"));
    }

    void aGroupActionSaysItForEachInstance()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.window.selectGroup("trio");
        ActionDialog *d = w.window.startAction(OperatorAction::Reset);
        QTRY_VERIFY2(d->impactText().contains("eu-1: forced open → closed\neu-2: closed → closed\n"
                                              "eu-3: not connected — unchanged"),
                     qPrintable(d->impactText()));
        submit(d, "drill over");
        QTRY_VERIFY(!d->resultsText().isEmpty());
        QCOMPARE(w.control.sent.back().kind, control::TargetKind::Group);
        QVERIFY(outcomes(w.window).contains("group trio | reset on eu-1: done | ops-tester (gui)"));
    }

    void thePlanFollowsTheLinksUntilSubmitted()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.window.selectServices({"beta"});
        ActionDialog *d = w.window.startAction(OperatorAction::Disable);
        QTRY_VERIFY(d->impactText().contains("eu-2: half open → disabled"));
        w.control.setLink(1, {control::LinkStatus::State::Reconnecting, "unreachable", "connection reset", 1000});
        w.observe(2);
        QTRY_VERIFY2(d->impactText().contains("eu-2: not connected — unchanged"), qPrintable(d->impactText()));
    }

    void aThresholdEditReportsEachInstanceARefusalIncluded()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.control.refusals["eu-2"] = {control::CommandResult::Status::Invalid,
                                      {{"failure_threshold", "must be at most 65% here"}}, false, {}, {}, {}};
        w.window.selectServices({"gamma"});
        ThresholdEditor *e = w.openEditor();
        QVERIFY(e);
        QCOMPARE(e->planText(), QString("On every instance that has it:\n"
                                        "eu-1: takes these values\n"
                                        "eu-2: takes these values (its own differ now)\n"
                                        "eu-3: not connected — unchanged"));
        e->percent("failure_threshold")->setValue(70);
        e->reasonEdit()->setText("align the fleet");
        e->keepButton()->click();
        QTRY_VERIFY(!e->resultsText().isEmpty());
        QVERIFY(e->isVisible()); // the answers stay on show
        QCOMPARE(e->resultsText(), QString("eu-1: done\n"
                                           "eu-2: refused — failure_threshold: must be at most 65% here\n"
                                           "eu-3: not reached — connection refused"));
        QVERIFY(w.control.sent.back().policy);
        QVERIFY(w.control.sent.back().scope.instances.empty());
        QCOMPARE(w.control.sent.back().reason, std::string("align the fleet"));
        QVERIFY(outcomes(w.window).contains(
            "gamma | edit_policy on eu-2: refused — failure_threshold: must be at most 65% here | ops-tester (gui)"));
        e->close();
    }

    void aThresholdEditOfOneInstanceStartsFromItsOwnValues()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.window.selectInstance("gamma", "eu-2");
        ThresholdEditor *e = w.openEditor();
        QVERIFY(e);
        QVERIFY(e->windowTitle().endsWith("gamma on eu-2"));
        QCOMPARE(e->percent("failure_threshold")->value(), 60.0);
        QVERIFY(e->planText().startsWith("Only on eu-2"));
        e->reasonEdit()->setText("as the others");
        e->percent("failure_threshold")->setValue(90);
        e->keepButton()->click();
        QTRY_VERIFY(!e->resultsText().isEmpty());
        QCOMPARE(w.control.sent.back().scope.instances, std::vector<std::string>{"eu-2"});
        QCOMPARE(e->resultsText(), QString("Applied on every instance:\neu-2: done"));
        e->close();
    }
};

QTEST_MAIN(TestUiFleetActions)
#include "tst_ui_fleet_actions.moc"
