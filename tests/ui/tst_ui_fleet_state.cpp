// What the dashboard keeps of a fleet, without widgets: the fleet's rows
// from its merged observation, each instance's own rows from its own
// observations, which rows changed, and the instance whose settings differ.
#include "fleettesting.h"

#include "ui/dashboardstate.h"
#include "ui/fleettext.h"

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

class TestUiFleetState : public QObject {
    Q_OBJECT
private slots:
    void eachInstanceHasItsOwnFigures()
    {
        FakeFleetControl fleet;
        DashboardState state;
        state.update(*fleet.observationAt(0));
        QVERIFY(state.instancesReplaced());
        state.update(*fleet.observationAt(1));
        QVERIFY(!state.instancesReplaced());
        QVERIFY(state.fleet());
        const int alpha = state.rowOf("alpha");
        QCOMPARE(state.rows()[std::size_t(alpha)].state, BreakerState::Open); // the worst
        QCOMPARE(state.rows()[std::size_t(alpha)].requestsPerS, 42.0);       // 30 + 12; eu-3 counts nothing new
        QCOMPARE(state.instanceRow(0, alpha)->requestsPerS, 30.0);
        QCOMPARE(state.instanceRow(1, alpha)->requestsPerS, 12.0);
        QCOMPARE(state.instanceRow(1, alpha)->state, BreakerState::Closed);
        QCOMPARE(state.instanceRow(2, alpha)->requestsPerS, 0.0); // said once, before it was lost
        QCOMPARE(state.instance("eu-2"), state.instance(1));
        QVERIFY(!state.instance("eu-9"));
        QCOMPARE(state.instance(0)->history(state.instance(0)->rowOf("alpha")).size(), std::size_t(1));

        // Percentiles of the merged histogram, not an average of the instances'.
        const ServiceRow &merged = state.rows()[std::size_t(alpha)];
        std::array<std::uint64_t, proxy::kDurationBucketsMs.size() + 1> second{};
        second[0] = 30;
        second[5] = 12;
        QCOMPARE(merged.p50Ms, double(float(control::durationQuantile(second, 0.5))));
        QVERIFY(merged.p50Ms != (state.instanceRow(0, alpha)->p50Ms + state.instanceRow(1, alpha)->p50Ms) / 2);
    }

    void onlyWhatMovedIsReported()
    {
        FakeFleetControl fleet;
        DashboardState state;
        state.update(*fleet.observationAt(0));
        state.update(*fleet.observationAt(1));
        const auto again = fleet.observationAt(1);
        state.update(*again);
        // The same figures again, eu-3 still saying nothing new: no instance's row moved.
        QVERIFY(state.changedInstanceRows().empty());
        // eu-2's link goes: each of its rows changes (they grey), and no other instance's.
        fleet.setLink(1, {control::LinkStatus::State::Reconnecting, "unreachable", "connection reset", 1000});
        state.update(*fleet.observationAt(2));
        int ofEu2 = 0;
        for (const auto &[row, instance] : state.changedInstanceRows()) {
            QVERIFY(instance != 2);
            ofEu2 += instance == 1;
        }
        QCOMPARE(ofEu2, 3);
    }

    void theInstanceWhoseSettingsDifferIsMarked()
    {
        FakeFleetControl fleet;
        DashboardState state;
        state.update(*fleet.observationAt(0));
        const int gamma = state.rowOf("gamma");
        QVERIFY(state.fleet()->breakers.at("gamma").configDiffers);
        QVERIFY(!state.policyDiffers(0, gamma));
        QVERIFY(state.policyDiffers(1, gamma)); // 60% where the others say 90%
        QVERIFY(!state.policyDiffers(2, gamma));
        QVERIFY(!state.policyDiffers(1, state.rowOf("alpha")));
    }

    void withoutAFleetThereAreNoInstances()
    {
        ControlRig rig(parsed(kThreeServices));
        DashboardState state;
        state.update(observationOf(rig));
        QVERIFY(!state.fleet());
        QVERIFY(!state.instancesReplaced());
        QVERIFY(state.changedInstanceRows().empty());
        QVERIFY(!state.instanceRow(0, 0));
    }

    void anObservationWithoutASnapshotEmptiesTheRows()
    {
        DashboardState state;
        control::Observation nothing;
        state.update(nothing);
        QVERIFY(state.rows().empty());
        QVERIFY(state.snapshot());
    }

    void linksAndTheFleetInWords()
    {
        using State = control::LinkStatus::State;
        QCOMPARE(linkText({State::Reconnecting, "unreachable", "connection refused", 2500}), QString("reconnecting in 3 s"));
        QCOMPARE(linkText({State::Failed, "token refused", "401", -1}), QString("token refused"));
        QCOMPARE(linkText({State::Connected, {}, {}, -1}), QString("connected"));
        FakeFleetControl fleet;
        const auto o = fleet.observationAt(0);
        QCOMPARE(fleetSummary(*o->fleet), QString("3 instances: 2 connected, 1 reconnecting"));
        QCOMPARE(instanceStatesTip(*o->fleet, o->fleet->breakers.at("alpha")),
                 QString("eu-1: open\neu-2: closed\neu-3: reconnecting in 3 s"));
        QCOMPARE(control::fleetStateText(BreakerState::Open, o->fleet->breakers.at("alpha")), QString("open on 1 of 2"));
    }
};

QTEST_MAIN(TestUiFleetState)
#include "tst_ui_fleet_state.moc"
