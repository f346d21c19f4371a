// Every item model of the dashboard under QAbstractItemModelTester, fed by
// observations of a real engine: rows, figures, changed rows only, sorting,
// filters, groups, the event log with its filters, undo and CSV export.
#include "uitesting.h"

#include "ui/dashboardstate.h"
#include "ui/eventlogmodel.h"
#include "ui/grouptreemodel.h"
#include "ui/servicetablemodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QSignalSpy>

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

class TestUiModels : public QObject {
    Q_OBJECT
private slots:
    void tableShowsEveryServiceAndOnlyChangedRowsUpdate()
    {
        ControlRig rig(parsed(kThreeServices));
        DashboardState state;
        ServiceTableModel model(state);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.refresh(state.update(observationOf(rig)));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(ServiceTableModel::ColumnCount));
        const int alpha = rowNamed(model, "alpha");
        QVERIFY(alpha >= 0);
        QCOMPARE(cell(model, alpha, ServiceTableModel::State), QString("closed"));
        QCOMPARE(cell(model, alpha, ServiceTableModel::FailureRate), QString("0.0% / 50.0%"));
        QCOMPARE(cell(model, rowNamed(model, "gamma"), ServiceTableModel::FailureRate), QString("0.0% / 90.0%"));

        calls(rig.engine, "alpha", 4, Outcome::Failure);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.refresh(state.update(observationOf(rig)));
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), alpha);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), alpha);
        QCOMPARE(cell(model, alpha, ServiceTableModel::State), QString("open"));
        QCOMPARE(model.index(alpha, 0).data(ServiceTableModel::StateRole).toInt(), int(BreakerState::Open));
        QCOMPARE(cell(model, alpha, ServiceTableModel::NextTrial), QString("10 s"));

        // Nothing changed: nothing is reported.
        changed.clear();
        model.refresh(state.update(observationOf(rig)));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(state.breakersOpen(), 1);
    }

    void ratesAndLatencyComeFromTheProxyCounters()
    {
        ControlRig rig(parsed(kThreeServices));
        DashboardState state;
        control::ServiceTraffic t;
        t.name = "beta";
        state.update(observationOf(rig, {t}));
        calls(rig.engine, "beta", 20, Outcome::Success);
        t.outcomes[std::size_t(proxy::RequestOutcome::Success)] = 20;
        t.outcomes[std::size_t(proxy::RequestOutcome::Fallback)] = 5;
        t.durations[0] = 10; // ≤ 1 ms
        t.durations[1] = 15; // ≤ 2.5 ms
        rig.clock.advance(std::chrono::seconds(1));
        state.update(observationOf(rig, {t}));
        const ServiceRow &row = state.rows()[std::size_t(state.rowOf("beta"))];
        QCOMPARE(row.requestsPerS, 25.0);
        QCOMPARE(row.fallbacks, 5u);
        QCOMPARE(row.p50Ms, 1.0 + 1.5 * (2.5 / 15.0));
        QCOMPARE(state.history(state.rowOf("beta")).size(), std::size_t(1));
        QCOMPARE(state.history(state.rowOf("beta")).back().okPerS, 20.0f);
        QCOMPARE(state.recordedSeconds(state.rowOf("beta")).front().calls, 20u);
    }

    void quantilesInterpolateInsideTheirBucket()
    {
        std::array<std::uint64_t, proxy::kDurationBucketsMs.size() + 1> b{};
        QCOMPARE(control::durationQuantile(b, 0.5), 0.0);
        b[0] = 10;
        b[1] = 10;
        QCOMPARE(control::durationQuantile(b, 0.5), 1.0);
        QCOMPARE(control::durationQuantile(b, 0.99), 1.0 + 1.5 * (9.8 / 10.0));
    }

    void filterAndSortFollowTheFigures()
    {
        ControlRig rig(parsed(kThreeServices));
        DashboardState state;
        ServiceTableModel model(state);
        ServiceFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
        calls(rig.engine, "beta", 3, Outcome::Failure);
        calls(rig.engine, "beta", 1, Outcome::Success);
        calls(rig.engine, "gamma", 1, Outcome::Failure);
        calls(rig.engine, "gamma", 3, Outcome::Success);
        model.refresh(state.update(observationOf(rig)));
        filter.sort(ServiceTableModel::FailureRate, Qt::DescendingOrder);
        QCOMPARE(cell(filter, 0, 0), QString("beta"));
        QCOMPARE(cell(filter, 1, 0), QString("gamma"));
        QCOMPARE(cell(filter, 2, 0), QString("alpha"));
        filter.setText("GAM");
        QCOMPARE(filter.rowCount(), 1);
        filter.setText("trio"); // the group matches every member
        QCOMPARE(filter.rowCount(), 3);
        filter.setText({});
        filter.setStateFilter(ServiceFilterModel::StateFilter::Open);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(cell(filter, 0, 0), QString("beta"));
        filter.setStateFilter(ServiceFilterModel::StateFilter::NotClosed);
        QCOMPARE(filter.rowCount(), 1);
        filter.setStateFilter(ServiceFilterModel::StateFilter::Forced);
        QCOMPARE(filter.rowCount(), 0);
    }

    void groupsShowHowManyMembersAreOpen()
    {
        ControlRig rig(parsed(kThreeServices));
        GroupTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.refresh(*observationOf(rig).engine);
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex trio = model.index(0, 0);
        QCOMPARE(trio.data().toString(), QString("trio"));
        QCOMPARE(model.rowCount(trio), 3);
        QCOMPARE(model.index(0, GroupTreeModel::Members).data().toString(), QString("0 of 3 open (opens at 50%)"));
        calls(rig.engine, "alpha", 4, Outcome::Failure);
        calls(rig.engine, "beta", 4, Outcome::Failure);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refresh(*observationOf(rig).engine);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.index(0, GroupTreeModel::Members).data().toString(), QString("2 of 3 open (opens at 50%)"));
        QCOMPARE(model.index(0, GroupTreeModel::State).data().toString(), QString("open"));
        QCOMPARE(model.index(0, GroupTreeModel::State, trio).data(GroupTreeModel::StateRole).toInt(),
                 int(BreakerState::Open));
        QCOMPARE(model.index(2, 0, trio).data(GroupTreeModel::IsGroupRole).toBool(), false);
        QCOMPARE(model.parent(model.index(2, 0, trio)), trio);
    }

    void eventLogFiltersUndoesAndExports()
    {
        ControlRig rig(parsed(kThreeServices));
        EventLogModel log;
        EventFilterModel filter;
        filter.setSourceModel(&log);
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QObject::connect(rig.control.get(), &control::ControlService::transitioned, &log, &EventLogModel::addTransition);
        QObject::connect(rig.control.get(), &control::ControlService::audited, &log, &EventLogModel::addAudit);

        calls(rig.engine, "alpha", 4, Outcome::Failure);
        rig.control->sample();
        rig.clock.advance(std::chrono::minutes(10));
        const auto r = rig.control->changeState(control::TargetKind::Breaker, "beta",
                                                command(OperatorAction::ForceOpen, "maintenance, \"db\""),
                                                {"alice", "gui"});
        QVERIFY(r.ok());
        // alpha's trip and, ten seconds later, its half-open; beta's audit entry and its transition
        QCOMPARE(log.rowCount(), 4);
        int auditRow = -1;
        for (int i = 0; i < log.rowCount(); ++i)
            if (log.entry(i).kind == LogEntry::Kind::Operator)
                auditRow = i;
        QVERIFY(auditRow >= 0);
        QCOMPARE(cell(log, auditRow, EventLogModel::By), QString("alice (gui)"));
        const std::optional<Undo> undo = log.undoOf(auditRow);
        QVERIFY(undo);
        QCOMPARE(undo->action, OperatorAction::Reset);
        QCOMPARE(undo->target, std::string("beta"));
        QCOMPARE(undo->restores, BreakerState::Closed);
        QVERIFY(!log.undoOf(0)); // a trip is not an operator action

        filter.setKind(LogEntry::Kind::Transition);
        QCOMPARE(filter.rowCount(), 3);
        filter.setSubject("alp");
        QCOMPARE(filter.rowCount(), 2);
        filter.setSubject({});
        filter.setKind(std::nullopt);
        filter.setSince(rig.clock.wallMs(rig.clock.now()) - 60'000);
        QCOMPARE(filter.rowCount(), 2); // alpha's transitions were ten minutes ago
        filter.setSince(0);
        filter.setKind(LogEntry::Kind::Operator);

        QBuffer out;
        out.open(QIODevice::WriteOnly);
        exportCsv(filter, out);
        const QString time = QDateTime::fromMSecsSinceEpoch(log.entry(auditRow).wallMs).toString(Qt::ISODateWithMs);
        QCOMPARE(QString::fromUtf8(out.data()),
                 QString("Time,Kind,Service or group,What,By\r\n") + time +
                     ",operator,beta,\"force_open: \"\"maintenance, \"\"db\"\"\"\"\",alice (gui)\r\n");
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
