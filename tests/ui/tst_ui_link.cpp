// The dashboard's control handed from one control service to another (a
// replay that starts afresh): what the previous service sent before arrives
// before replaced(), nothing of it after; the new one is heard, and queries
// go to it. Every wait is on a signal: the control thread is FIFO, so what
// the new service sends last arrives after anything sent before it.
#include "../control/controltesting.h"
#include "control/localdashboardcontrol.h"
#include "control/threadcall.h"
#include "ui/dashboardlink.h"

#include <QSignalSpy>
#include <QTest>

using namespace bb;
using namespace bb::testing;

namespace {
QStringList subjects(const QSignalSpy &spy)
{
    QStringList names;
    for (const QList<QVariant> &args : spy)
        names << QString::fromStdString(args.front().value<TransitionEvent>().subject);
    return names;
}
} // namespace

class TestLink : public QObject {
    Q_OBJECT
private slots:
    void aReplacedServiceIsNoLongerHeard()
    {
        qRegisterMetaType<TransitionEvent>();
        qRegisterMetaType<persist::AuditEntry>();
        control::ObjectThread thread(QStringLiteral("control"));
        ControlRig *first = thread.call([] { return new ControlRig; });
        ControlRig *second = thread.call([] { return new ControlRig; });
        QObject *owner = thread.call([] { return new QObject; });
        control::ControlService *current = first->control.get(); // read and written on the control thread
        const auto force = [](ControlRig *rig, const char *name, OperatorAction action) {
            QVERIFY(rig->control->changeState(control::TargetKind::Breaker, name, command(action), {"ops", "test"}).ok());
            rig->control->sample();
        };
        {
            control::LocalDashboardControl control(*owner, [&current]() -> control::ControlService & { return *current; });
            ui::DashboardLink link(control);
            QSignalSpy transitioned(&link, &ui::DashboardLink::transitioned);
            QSignalSpy audited(&link, &ui::DashboardLink::audited);
            QSignalSpy replaced(&link, &ui::DashboardLink::controlReplaced);
            QSignalSpy observed(&link, &ui::DashboardLink::observed);
            const control::LocalDashboardControl::Attach attach = control.attacher();

            // Heard while it is the control's service.
            thread.call([&] { force(first, "a", OperatorAction::ForceOpen); });
            QVERIFY(transitioned.wait(5000));
            QCOMPARE(audited.size(), 1);

            // Sent, then replaced: heard before replaced(), and nothing after.
            thread.call([&] {
                force(first, "b", OperatorAction::ForceOpen);
                current = second->control.get();
                attach(*current);
                force(first, "a", OperatorAction::Reset);
                force(second, "a", OperatorAction::ForceClosed);
            });
            // b open opens the group of a and b too.
            QTRY_COMPARE_WITH_TIMEOUT(transitioned.size(), 4, 5000);
            QCOMPARE(subjects(transitioned), QStringList({"a", "b", "g", "a"}));
            QCOMPARE(transitioned.back().front().value<TransitionEvent>().to, BreakerState::ForcedClosed);
            QCOMPARE(audited.size(), 3); // force a, force b (first), force closed a (second)
            QCOMPARE(replaced.size(), 1);

            // Queries go to the new one.
            std::optional<control::History> answer;
            control.history(10).then(&control, [&](const control::History &h) { answer = h; });
            QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
            const control::History &history = *answer;
            QCOMPARE(history.transitions.size(), 1u);
            QCOMPARE(history.transitions.front().to, BreakerState::ForcedClosed);
            QCOMPARE(history.audit.size(), 1u);

            // Its snapshots too.
            observed.clear();
            thread.call([&] { second->control->sample(); });
            QVERIFY(observed.wait(5000));
            QCOMPARE(observed.back().front().value<std::shared_ptr<const control::Observation>>()->engine->breaker("a")->state,
                     BreakerState::ForcedClosed);
        }
        thread.call([first, second, owner] {
            delete first;
            delete second;
            delete owner;
        });
    }
};

QTEST_MAIN(TestLink)
#include "tst_ui_link.moc"
