// The window never waits on the engine: with the control thread held for
// two seconds while an operator action waits for its answer, the window's
// event loop keeps turning throughout (a zero-timer fires again and again
// while the thread is held, never missing half the hold, which is what
// waiting on the thread would cost), the window and the action's dialog say
// "working…" while the answer is late, and the answer arrives and clears
// them once the control thread moves again.
#include "uitesting.h"

#include "control/localdashboardcontrol.h"
#include "control/threadcall.h"
#include "ui/mainwindow.h"

#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

class TestUiAsync : public QObject {
    Q_OBJECT
private slots:
    void theWindowKeepsPaintingWhileTheControlThreadIsHeld()
    {
        qputenv("USER", "ops-tester");
        control::ObjectThread thread(QStringLiteral("control"));
        ControlRig *rig = thread.call([] { return new ControlRig(parsed(kThreeServices)); });
        {
            control::LocalDashboardControl control(*rig->control);
            DashboardLink link(control);
            MainWindow window(link, nullptr);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QTRY_VERIFY_WITH_TIMEOUT(window.observationsApplied() > 0, 5000); // the figures the impact is told from
            window.selectServices({"alpha"});
            ActionDialog *dialog = window.startAction(OperatorAction::ForceOpen);
            QVERIFY(dialog);
            QTRY_VERIFY_WITH_TIMEOUT(dialog->impactText().contains("alpha will reject all calls"), 5000);
            dialog->reasonEdit()->setText("held control thread");

            // The control thread is held for two seconds from now; the action queues behind.
            QSemaphore release;
            QElapsedTimer held;
            held.start();
            thread.post([&release] { release.acquire(); });
            constexpr int kHeldMs = 2000;
            bool released = false;
            QTimer::singleShot(kHeldMs, Qt::PreciseTimer, &window, [&release, &released] {
                released = true;
                release.release();
            });
            QSignalSpy answered(dialog, &QDialog::accepted);
            const QPointer<ActionDialog> open(dialog); // it goes once answered
            dialog->buttons()->button(QDialogButtonBox::Ok)->click();

            // A zero-timer on the window's thread, its largest gap measured while the answer is pending.
            qint64 maxGapMs = 0;
            int ticksWhileHeld = 0;
            bool windowSaidWorking = false;
            bool dialogSaidWorking = false;
            QElapsedTimer sinceTick;
            sinceTick.start();
            QTimer zero;
            zero.setInterval(0);
            connect(&zero, &QTimer::timeout, &window, [&] {
                maxGapMs = std::max(maxGapMs, sinceTick.restart());
                ticksWhileHeld += released ? 0 : 1;
                windowSaidWorking = windowSaidWorking || window.workingText().contains("force_open alpha");
                for (const QLabel *l : open ? open->findChildren<QLabel *>() : QList<QLabel *>())
                    dialogSaidWorking = dialogSaidWorking || (l->isVisible() && l->text() == "Working…");
            });
            zero.start();
            QVERIFY(answered.wait(10000));
            zero.stop();

            QVERIFY2(held.elapsed() >= kHeldMs, "answered before the control thread moved");
            // Not a speed figure: a loop that waited on the held thread would
            // turn once or twice in those two seconds and stall for the rest.
            QVERIFY2(ticksWhileHeld >= 20, qPrintable(QStringLiteral("%1 turns while held").arg(ticksWhileHeld)));
            QVERIFY2(maxGapMs < kHeldMs / 2,
                     qPrintable(QStringLiteral("the window's event loop stalled %1 ms").arg(maxGapMs)));
            QVERIFY(windowSaidWorking);
            QVERIFY(dialogSaidWorking);
            QCOMPARE(window.workingText(), QString()); // cleared with the answer
            QTRY_COMPARE_WITH_TIMEOUT(control.waiting(), std::size_t(0), 5000); // the queries the transition set off too
            QCOMPARE(thread.call([rig] { return rig->state("alpha"); }), BreakerState::ForcedOpen);
        }
        thread.call([rig] { delete rig; });
    }
};

QTEST_MAIN(TestUiAsync)
#include "tst_ui_async.moc"
