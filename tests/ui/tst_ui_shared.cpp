// How the window shows a link to a cluster's shared state, on the offscreen
// platform with real widgets: the Instances panel's "Shared state" column
// (text, colour, tooltip) for an instance connected to Redis, one whose link
// is down and one that shares nothing; the status line's badge over one
// engine (or a fleet of one) for each state of its link and none without
// one; and over a fleet, on how many instances the shared state is down.
#include "fleettesting.h"

#include "ui/instancelistmodel.h"
#include "ui/instancesdock.h"
#include "ui/statusline.h"

#include <QAbstractItemModelTester>
#include <QPalette>

Q_DECLARE_METATYPE(std::optional<bb::control::SharedStateStatus>)

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;
using Link = control::SharedStateStatus::Link;

namespace {
QColor foreground(const QAbstractItemModel &m, int row, int column)
{
    return m.index(row, column).data(Qt::ForegroundRole).value<QColor>();
}
} // namespace

class TestUiShared : public QObject {
    Q_OBJECT
private slots:
    void theInstancesPanelSaysEachInstancesSharedState()
    {
        FleetWindow w;
        w.observe(0);
        const InstanceListModel &panel = *w.window.instances()->model();
        QAbstractItemModelTester tester(const_cast<InstanceListModel *>(&panel),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        constexpr int column = InstanceListModel::SharedState;
        QCOMPARE(panel.headerData(column, Qt::Horizontal).toString(), QString("Shared state"));
        QCOMPARE(cell(panel, 0, column), QString("connected"));
        QCOMPARE(cell(panel, 1, column), QString("down: Connection refused"));
        QCOMPARE(cell(panel, 2, column), QString("—"));
        // Coloured as the link column colours its states; eu-3 is not live: greyed.
        QCOMPARE(foreground(panel, 0, column), stateColor(BreakerState::Closed));
        QCOMPARE(foreground(panel, 1, column), stateColor(BreakerState::Open));
        QCOMPARE(foreground(panel, 2, column), QPalette().color(QPalette::Disabled, QPalette::Text));
        QCOMPARE(panel.index(1, column).data(Qt::ToolTipRole).toString(),
                 QString("Down: Connection refused\nCluster: shop\nRedis: 10.0.0.5:6379/0\nInstance: eu-2\n"
                         "Breakers: follow\n"
                         "Refused records: 2\nUnsent changes: 4"));
        QVERIFY(panel.index(2, column).data(Qt::ToolTipRole).isNull());
        QVERIFY(panel.index(0, column).data(Qt::ToolTipRole).toString().startsWith("Cluster: shop\nRedis: "));

        w.control.setShared(0, sharedState("eu-1", Link::Connecting));
        w.control.setShared(1, sharedState("eu-2", Link::Down));
        w.observe(1);
        QCOMPARE(cell(panel, 0, column), QString("connecting"));
        QCOMPARE(foreground(panel, 0, column), stateColor(BreakerState::HalfOpen));
        QCOMPARE(cell(panel, 1, column), QString("down")); // no problem said
    }

    void overAFleetTheStatusLineSaysOnHowManyItIsDown()
    {
        FleetWindow w;
        w.observe(0);
        const StatusLine &status = *w.window.statusLine();
        QCOMPARE(status.sharedText(), QString("shared state down on 1"));
        QCOMPARE(status.sharedColor(), stateColor(BreakerState::Open));
        QVERIFY2(w.window.statusText().contains("shared state down on 1"), qPrintable(w.window.statusText()));

        // What eu-3 said last is old: it is not counted, down or not.
        w.control.setShared(2, sharedState("eu-3", Link::Down, "Connection refused"));
        w.control.setShared(0, sharedState("eu-1", Link::Down, "Connection refused"));
        w.observe(1);
        QCOMPARE(status.sharedText(), QString("shared state down on 2"));

        w.control.setShared(0, sharedState("eu-1", Link::Connected));
        w.control.setShared(1, sharedState("eu-2", Link::Connected));
        w.observe(2);
        QCOMPARE(status.sharedText(), QString());
        QVERIFY(!w.window.statusText().contains("shared"));
    }

    void overOneEngineTheStatusLineHasABadge_data()
    {
        QTest::addColumn<std::optional<control::SharedStateStatus>>("shared");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QColor>("color");
        QTest::newRow("connected") << std::optional(sharedState("eu-1", Link::Connected)) << "shared: connected"
                                   << stateColor(BreakerState::Closed);
        QTest::newRow("down") << std::optional(sharedState("eu-1", Link::Down, "Connection refused"))
                              << "shared: down — deciding alone" << stateColor(BreakerState::Open);
        QTest::newRow("connecting") << std::optional(sharedState("eu-1", Link::Connecting)) << "shared: connecting"
                                    << stateColor(BreakerState::HalfOpen);
        QTest::newRow("none") << std::optional<control::SharedStateStatus>() << "" << QColor();
    }
    void overOneEngineTheStatusLineHasABadge()
    {
        QFETCH(std::optional<control::SharedStateStatus>, shared);
        QFETCH(QString, text);
        QFETCH(QColor, color);
        FleetWindow w;
        w.control.setShared(0, shared);
        w.observeAlone(0, 0);
        QVERIFY(!w.window.state().fleet());
        const StatusLine &status = *w.window.statusLine();
        QCOMPARE(status.sharedText(), text);
        QCOMPARE(status.sharedColor(), color);
        QCOMPARE(w.window.statusText().contains("shared"), !text.isEmpty());
        if (shared && shared->link == Link::Down)
            QVERIFY(w.window.statusText().contains("shared: down — deciding alone | ● engine connected"));
    }

    // Attached to one instance, the window has a fleet of one: it says that
    // instance's link as over one engine, and nothing once it is not live.
    void aFleetOfOneHasTheBadgeOfItsInstance()
    {
        FleetWindow w;
        const auto eu2 = w.control.observationAt(0)->fleet->instances[1];
        const auto alone = [&](control::InstanceView view) {
            const int before = w.window.observationsApplied();
            emit w.control.observed(fleetObservation({view}, FakeFleetControl::kStartMs));
            QTRY_VERIFY(w.window.observationsApplied() > before);
        };
        alone(eu2);
        QVERIFY(w.window.state().fleet());
        QCOMPARE(w.window.statusLine()->sharedText(), QString("shared: down — deciding alone"));
        QCOMPARE(w.window.statusLine()->sharedColor(), stateColor(BreakerState::Open));
        auto lost = eu2;
        lost.link = {control::LinkStatus::State::Reconnecting, "unreachable", "connection refused", 3000};
        alone(lost);
        QCOMPARE(w.window.statusLine()->sharedText(), QString());
    }

    void theBadgeFollowsTheLinkAtOnce()
    {
        FleetWindow w;
        w.observeAlone(0, 0);
        QCOMPARE(w.window.statusLine()->sharedText(), QString("shared: connected"));
        w.control.setShared(0, sharedState("eu-1", Link::Down, "Connection refused"));
        w.observeAlone(0, 1); // not at the status line's next tick: now
        QCOMPARE(w.window.statusLine()->sharedText(), QString("shared: down — deciding alone"));
    }
};

QTEST_MAIN(TestUiShared)
#include "tst_ui_shared.moc"
