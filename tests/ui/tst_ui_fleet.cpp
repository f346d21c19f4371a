// The window over a fleet, on the offscreen platform with real widgets: the
// services tree with the fleet's state of each service and a row for each
// instance, greyed when the instance is lost; an instance's row shown alone
// in the detail pane; the groups, the instances panel and the status line;
// and, without a fleet, none of it.
#include "fleettesting.h"

#include "control/localdashboardcontrol.h"
#include "ui/attachdialog.h"
#include "ui/detailpane.h"
#include "ui/grouptreemodel.h"
#include "ui/instancelistmodel.h"
#include "ui/instancesdock.h"
#include "ui/servicesview.h"
#include "ui/servicetablemodel.h"

#include <QAbstractItemModelTester>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QPalette>
#include <QSignalSpy>
#include <QTreeView>

using namespace bb;
using namespace bb::testing;
using namespace bb::ui;

namespace {
QModelIndex serviceIndex(const QAbstractItemModel &m, const QString &name, int column = 0)
{
    return m.index(rowNamed(m, name), column);
}

// An instance's row of a service: its cell in column.
QModelIndex instanceIndex(const QAbstractItemModel &m, const QString &service, int instance, int column)
{
    return m.index(instance, column, serviceIndex(m, service));
}
} // namespace

class TestUiFleet : public QObject {
    Q_OBJECT
private slots:
    void eachServiceShowsTheFleetAndItsInstances()
    {
        FleetWindow w;
        w.observeSeconds(2);
        const ServiceTableModel &m = *w.window.serviceModel();
        using C = ServiceTableModel;
        QCOMPARE(serviceIndex(m, "alpha", C::Instances).data().toString(), QString("open on 1 of 2"));
        QCOMPARE(serviceIndex(m, "beta", C::Instances).data().toString(), QString("half open on 1 of 2"));
        QCOMPARE(serviceIndex(m, "gamma", C::Instances).data().toString(), QString("closed on 2 of 2 ≠"));
        QVERIFY(serviceIndex(m, "gamma", C::Instances).data(Qt::ToolTipRole).toString().contains(
            "its settings differ between instances"));
        QCOMPARE(serviceIndex(m, "alpha", C::Instances).data(Qt::ToolTipRole).toString(),
                 QString("eu-1: open\neu-2: closed\neu-3: reconnecting in 3 s"));
        // The worst state is the row's, in its colour.
        QCOMPARE(serviceIndex(m, "alpha", C::State).data(C::StateRole).toInt(), int(BreakerState::Open));
        QCOMPARE(serviceIndex(m, "alpha", C::State).data().toString(), QString("open"));
        QCOMPARE(serviceIndex(m, "alpha", C::Instances).data(Qt::ForegroundRole).value<QColor>(),
                 stateColor(BreakerState::Open));

        // One row per instance, with its own figures; the service's are the fleet's, merged.
        QCOMPARE(m.rowCount(serviceIndex(m, "alpha")), 3);
        QCOMPARE(instanceIndex(m, "alpha", 0, C::Service).data().toString(), QString("eu-1"));
        QCOMPARE(instanceIndex(m, "alpha", 0, C::RequestsPerS).data().toString(), QString("30"));
        QCOMPARE(instanceIndex(m, "alpha", 1, C::RequestsPerS).data().toString(), QString("12"));
        QCOMPARE(serviceIndex(m, "alpha", C::RequestsPerS).data().toString(), QString("42"));
        QCOMPARE(instanceIndex(m, "alpha", 0, C::State).data().toString(), QString("open"));
        QCOMPARE(instanceIndex(m, "alpha", 1, C::State).data().toString(), QString("closed"));
        QCOMPARE(instanceIndex(m, "alpha", 0, C::State).data(C::NameRole).toString(), QString("alpha"));
        QCOMPARE(instanceIndex(m, "alpha", 1, C::State).data(C::InstanceRole).toString(), QString("eu-2"));
        QCOMPARE(instanceIndex(m, "alpha", 0, C::Instances).data().toString(), QString("connected"));
        // The instance whose settings differ is the one marked.
        QCOMPARE(instanceIndex(m, "gamma", 1, C::Instances).data().toString(), QString("connected ≠"));
        QCOMPARE(instanceIndex(m, "gamma", 0, C::Instances).data().toString(), QString("connected"));

        // The lost instance: its link, what it said last, greyed.
        const QModelIndex lost = instanceIndex(m, "alpha", 2, C::Instances);
        QCOMPARE(lost.data().toString(), QString("reconnecting in 3 s"));
        QVERIFY(lost.data(Qt::ToolTipRole).toString().contains("connection refused"));
        QVERIFY(lost.data(C::DimmedRole).toBool());
        QCOMPARE(lost.data(Qt::ForegroundRole).value<QColor>(), QPalette().color(QPalette::Disabled, QPalette::Text));
        QVERIFY(!instanceIndex(m, "alpha", 0, C::Instances).data(C::DimmedRole).toBool());
        QVERIFY(!instanceIndex(m, "alpha", 0, C::Service).data(Qt::ForegroundRole).isValid());

        QTreeView *tree = w.window.services()->serviceTree();
        QVERIFY(!tree->isColumnHidden(C::Instances));
        QVERIFY(tree->rootIsDecorated());
    }

    void aLostInstanceGreysAtTheNextObservation()
    {
        FleetWindow w;
        w.observeSeconds(2);
        const ServiceTableModel &m = *w.window.serviceModel();
        QVERIFY(!instanceIndex(m, "beta", 1, 0).data(ServiceTableModel::DimmedRole).toBool());
        w.control.setLink(1, {control::LinkStatus::State::Reconnecting, "unreachable", "connection reset", 2000});
        w.observe(2);
        QVERIFY(instanceIndex(m, "beta", 1, 0).data(ServiceTableModel::DimmedRole).toBool());
        QCOMPARE(instanceIndex(m, "beta", 1, ServiceTableModel::Instances).data().toString(),
                 QString("reconnecting in 2 s"));
        QCOMPARE(instanceIndex(m, "beta", 1, ServiceTableModel::State).data().toString(), QString("half open"));
        QVERIFY(w.window.statusText().contains("3 instances: 1 connected, 2 reconnecting"));
    }

    void theTreeModelHoldsUpFilteredAndSorted()
    {
        FakeFleetControl fleet;
        DashboardState state;
        ServiceTableModel model(state);
        ServiceFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (int s = 0; s < 3; ++s)
            model.refresh(state.update(*fleet.observationAt(s)));
        filter.sort(ServiceTableModel::RequestsPerS, Qt::DescendingOrder);
        QCOMPARE(cell(filter, 0, 0), QString("alpha"));
        const QModelIndex alpha = filter.index(0, 0);
        QCOMPARE(filter.rowCount(alpha), 3);
        QCOMPARE(filter.index(0, 0, alpha).data().toString(), QString("eu-1")); // 30/s before 12/s and eu-3's none
        filter.setText("gam");
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 3); // the instances follow their service
        filter.setText({});
        filter.setStateFilter(ServiceFilterModel::StateFilter::HalfOpen);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(cell(filter, 0, 0), QString("beta"));

        // One instance fewer: the rows are rebuilt.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        auto two = std::make_shared<control::Observation>(*fleet.observationAt(3));
        auto view = std::make_shared<control::FleetView>(*two->fleet);
        view->instances.pop_back();
        two->fleet = view;
        model.refresh(state.update(*two));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(model.index(0, 0)), 2);
    }

    void anInstanceRowShowsThatInstanceAlone()
    {
        FleetWindow w;
        w.observeSeconds(2);
        w.window.selectServices({"alpha"});
        QTRY_VERIFY2(w.window.detail()->headline().contains("42.0 req/s"), qPrintable(w.window.detail()->headline()));
        w.window.selectInstance("alpha", "eu-2");
        const QTreeView *tree = w.window.services()->serviceTree();
        QVERIFY(tree->isExpanded(serviceIndex(*tree->model(), "alpha")));
        QTRY_VERIFY(w.window.detail()->headline().startsWith("alpha on eu-2"));
        QVERIFY2(w.window.detail()->headline().contains("closed") &&
                     w.window.detail()->headline().contains("12.0 req/s"),
                 qPrintable(w.window.detail()->headline()));
        // The target of an action is that service on that instance.
        const ActionTarget &target = w.window.services()->target();
        QCOMPARE(target.names, std::vector<std::string>{"alpha"});
        QCOMPARE(target.scopeOf(0).instances, std::vector<std::string>{"eu-2"});

        // The lost one: what it said last, and that it is not connected.
        w.window.selectInstance("alpha", "eu-3");
        QTRY_VERIFY(w.window.detail()->headline().startsWith("alpha on eu-3"));
        QVERIFY2(w.window.detail()->headline().contains("reconnecting in 3 s — what it said last"),
                 qPrintable(w.window.detail()->headline()));
        w.window.selectInstance("alpha", "eu-1");
        QTRY_VERIFY(w.window.detail()->headline().contains("30.0 req/s"));
    }

    // Why it tripped, on an instance's row: that instance's own trip, with its window.
    void anInstanceRowSaysWhyItTrippedThere()
    {
        FleetWindow w;
        for (const char *instance : {"eu-1", "eu-2"}) {
            TransitionEvent e;
            e.subject = "alpha";
            e.instance = instance;
            e.from = BreakerState::Closed;
            e.to = BreakerState::Open;
            e.cause.kind = instance == std::string("eu-1") ? CauseKind::FailureRate : CauseKind::ConsecutiveFailures;
            e.cause.count = e.cause.limit = 5;
            e.cause.rate = 80, e.cause.threshold = 50, e.cause.calls = 10;
            e.window.type = WindowType::Count;
            e.window.size = 4;
            e.window.calls = {{true, false}, {true, false}};
            w.control.transitions.push_back(e);
        }
        w.observe(0);
        w.window.selectInstance("alpha", "eu-2");
        QTRY_VERIFY2(w.window.detail()->whyText().contains("5 consecutive failures"), qPrintable(w.window.detail()->whyText()));
        QVERIFY(!w.window.detail()->whyText().contains("failure rate 80%"));
        w.window.selectInstance("alpha", "eu-1");
        QTRY_VERIFY2(w.window.detail()->whyText().contains("failure rate 80%"), qPrintable(w.window.detail()->whyText()));
    }

    void groupsInstancesPanelAndStatusLine()
    {
        FleetWindow w;
        w.observe(0);
        const QAbstractItemModel *groups = w.window.services()->groupTree()->model();
        const QModelIndex trio = groups->index(0, 0);
        QCOMPARE(groups->index(0, GroupTreeModel::Instances).data().toString(), QString("open on 1 of 2"));
        QCOMPARE(groups->index(0, GroupTreeModel::State).data().toString(), QString("forced open"));
        QCOMPARE(groups->index(0, GroupTreeModel::Instances, trio).data().toString(), QString("open on 1 of 2"));
        QVERIFY(!w.window.services()->groupTree()->isColumnHidden(GroupTreeModel::Instances));

        InstancesDock *dock = w.window.instances();
        QVERIFY(!dock->isHidden());
        const InstanceListModel &panel = *dock->model();
        QCOMPARE(panel.rowCount(), 3);
        QCOMPARE(cell(panel, 0, InstanceListModel::Instance), QString("eu-1"));
        QCOMPARE(cell(panel, 0, InstanceListModel::Url), QString("https://eu-1.example:9901"));
        QCOMPARE(cell(panel, 0, InstanceListModel::Link), QString("connected"));
        QCOMPARE(cell(panel, 0, InstanceListModel::Breakers), QString("1 of 3 open"));
        QCOMPARE(cell(panel, 2, InstanceListModel::Link), QString("reconnecting in 3 s"));
        QCOMPARE(cell(panel, 2, InstanceListModel::Problem), QString("unreachable: connection refused"));
        QVERIFY(panel.index(0, 0).data(InstanceListModel::LiveRole).toBool());
        QVERIFY(!panel.index(2, 0).data(InstanceListModel::LiveRole).toBool());
        QCOMPARE(panel.index(2, 0).data(Qt::ForegroundRole).value<QColor>(),
                 QPalette().color(QPalette::Disabled, QPalette::Text));

        QVERIFY2(w.window.statusText().contains("3 instances: 2 connected, 1 reconnecting"), qPrintable(w.window.statusText()));
        QVERIFY(w.window.statusText().contains("2 of 3 instances connected"));
        QVERIFY(!w.window.statusText().contains("Proxy"));
    }

    void attachAsksForTheUrlTheTokenAndTheCa()
    {
        FleetWindow w;
        QAction *menu = nullptr;
        for (QAction *a : w.window.menuBar()->actions().front()->menu()->actions())
            if (a->text() == "&Attach to an instance…")
                menu = a;
        QVERIFY(menu);
        QSignalSpy asked(&w.window, &MainWindow::attachRequested);
        AttachDialog *d = w.window.openAttachDialog();
        QPushButton *attach = d->buttons()->button(QDialogButtonBox::Ok);
        QVERIFY(!attach->isEnabled());
        d->urlEdit()->setText("eu-4.example:9901");
        QVERIFY(!attach->isEnabled());
        QCOMPARE(d->problem(), QString("The URL must start with https:// (or http://) and name a host."));
        d->urlEdit()->setText("https://eu-4.example:9901");
        QVERIFY(d->problem().isEmpty());
        d->tokenEdit()->setText("/etc/breakerboard/token");
        d->caEdit()->setText("/etc/breakerboard/ca.pem");
        attach->click();
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.front(), QVariantList({"https://eu-4.example:9901", "/etc/breakerboard/token",
                                              "/etc/breakerboard/ca.pem"}));

        // The answer comes back: said, and the next dialog starts from what was asked.
        w.window.attachFailed("https://eu-4.example:9901: the token was refused");
        QMessageBox *box = w.window.findChild<QMessageBox *>();
        QVERIFY(box);
        QCOMPARE(box->text(), QString("https://eu-4.example:9901: the token was refused"));
        box->close();
        AttachDialog *again = w.window.openAttachDialog();
        QCOMPARE(again->url(), QString("https://eu-4.example:9901"));
        QCOMPARE(again->tokenFile(), QString("/etc/breakerboard/token"));
        QCOMPARE(again->caFile(), QString("/etc/breakerboard/ca.pem"));
        again->close();
    }

    void withoutAFleetNothingOfItShows()
    {
        ControlRig rig(parsed(kThreeServices));
        control::LocalDashboardControl control(*rig.control);
        DashboardLink link(control);
        MainWindow window(link, nullptr);
        const int before = window.observationsApplied();
        rig.control->sample();
        QTRY_VERIFY(window.observationsApplied() > before);
        const ServiceTableModel &m = *window.serviceModel();
        QCOMPARE(m.rowCount(), 3);
        for (int r = 0; r < m.rowCount(); ++r) {
            QCOMPARE(m.rowCount(m.index(r, 0)), 0);
            QVERIFY(m.index(r, ServiceTableModel::Instances).data().toString().isEmpty());
        }
        QTreeView *tree = window.services()->serviceTree();
        QVERIFY(tree->isColumnHidden(ServiceTableModel::Instances));
        QVERIFY(!tree->rootIsDecorated());
        QVERIFY(window.services()->groupTree()->isColumnHidden(GroupTreeModel::Instances));
        QVERIFY(window.instances()->isHidden());
        QCOMPARE(window.instances()->model()->rowCount(), 0);
        QVERIFY(window.statusText().startsWith("Proxy – "));
        QVERIFY(!window.statusText().contains("instances"));
    }
};

QTEST_MAIN(TestUiFleet)
#include "tst_ui_fleet.moc"
