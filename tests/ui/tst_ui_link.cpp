// The dashboard's link handed from one control service to another (a replay
// that starts afresh): what the previous service sent and had not arrived
// yet is dropped, the new one is heard, and the window is told once.
#include "../control/controltesting.h"
#include "control/threadcall.h"
#include "ui/dashboardlink.h"

#include <QSignalSpy>
#include <QTest>

using namespace bb;
using namespace bb::testing;
using bb::control::callOn;

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
        {
            ui::DashboardLink link(*first->control);
            QSignalSpy transitioned(&link, &ui::DashboardLink::transitioned);
            QSignalSpy audited(&link, &ui::DashboardLink::audited);
            QSignalSpy replaced(&link, &ui::DashboardLink::controlReplaced);
            const auto forceOpen = [](ControlRig *rig) {
                callOn(rig->control.get(), [rig] {
                    QVERIFY(rig->control->changeState(control::TargetKind::Breaker, "a",
                                                      command(OperatorAction::ForceOpen), {"ops", "test"}).ok());
                    rig->control->sample();
                });
            };
            // Heard while it is the link's service.
            forceOpen(first);
            QTRY_COMPARE(transitioned.size(), 1);
            QCOMPARE(audited.size(), 1);

            // Sent, then replaced before the signals arrive: dropped.
            callOn(first->control.get(), [first] {
                QVERIFY(first->control->changeState(control::TargetKind::Breaker, "b",
                                                     command(OperatorAction::ForceOpen), {"ops", "test"}).ok());
                first->control->sample();
            });
            link.setControl(*second->control);
            QCOMPARE(replaced.size(), 1);
            QTest::qWait(200); // long enough for the queued signals and the next samples
            QCOMPARE(transitioned.size(), 1);
            QCOMPARE(audited.size(), 1);
            QCOMPARE(link.transitions(10).size(), 0u); // commands and queries go to the new one

            // The new service is heard, its snapshots too.
            QSignalSpy observed(&link, &ui::DashboardLink::observed);
            forceOpen(second);
            QTRY_COMPARE(transitioned.size(), 2);
            QCOMPARE(transitioned.back().front().value<TransitionEvent>().subject, std::string("a"));
            QTRY_VERIFY(!observed.isEmpty());
            QCOMPARE(observed.back().front().value<std::shared_ptr<const control::Observation>>()->engine->breaker("a")->state,
                     BreakerState::ForcedOpen);
            QCOMPARE(replaced.size(), 1);
        }
        thread.call([first, second] {
            delete first;
            delete second;
        });
    }
};

QTEST_MAIN(TestLink)
#include "tst_ui_link.moc"
