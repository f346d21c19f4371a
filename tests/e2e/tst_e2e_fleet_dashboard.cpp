// The dashboard attached to a fleet of three headless instances with a real
// upstream and traffic, in-process on the offscreen platform: the fleet's
// counts are the sum of the instances' own /metrics; a force-open from the
// dashboard makes all three proxies answer 503; a killed instance greys out
// while the others go on; restarted, it comes back by itself, and what it
// did meanwhile is in the history.
#include "e2etesting.h"
#include "remote/answers.h"
#include "testupstream.h"

#include "remote/fleetcontrol.h"
#include "ui/actiondialog.h"
#include "ui/mainwindow.h"

#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>

using namespace bb;
using namespace bb::testing;

namespace {
QString configFor(const TestUpstream &up)
{
    return QStringLiteral("circuit_breakers:\n"
                          "  services:\n"
                          "    svc:\n"
                          "      upstream: %1/\n"
                          "      route: /svc\n")
        .arg(up.url());
}

// The proxy's own count of svc's requests, from its /metrics.
double metricRequests(Instance &i)
{
    const auto r = i.admin("GET", "/metrics");
    double sum = 0;
    static const QRegularExpression line(
        QStringLiteral("^breakerboard_requests_total\\{[^}]*circuit_breaker=\"svc\"[^}]*\\} (\\S+)$"),
        QRegularExpression::MultilineOption);
    for (auto m = line.globalMatch(QString::fromUtf8(r ? r->body : QByteArray())); m.hasNext();)
        sum += m.next().captured(1).toDouble();
    return sum;
}

int statusOf(const Instance &i)
{
    HttpClient client(i.proxyPort);
    const auto r = client.get("/svc/x");
    return r ? r->status : 0;
}

std::uint64_t fleetRequests(const control::Observation &o)
{
    for (const auto &t : o.traffic)
        if (t.name == "svc")
            return t.requests();
    return 0;
}
} // namespace

class TestE2eFleetDashboard : public QObject {
    Q_OBJECT
private slots:
    void theDashboardOverThreeInstances()
    {
        qputenv("USER", "fleet-operator");
        TestUpstream up;
        QTemporaryDir d1, d2, d3;
        Instance one{d1, writeConfig(d1, configFor(up))};
        Instance two{d2, writeConfig(d2, configFor(up))};
        Instance three{d3, writeConfig(d3, configFor(up))};
        std::vector<Instance *> all{&one, &two, &three};
        for (Instance *i : all)
            QVERIFY(i->start());
        int sent = 0;
        for (std::size_t k = 0; k < all.size(); ++k)
            for (std::size_t n = 0; n < 3 + 2 * k; ++n, ++sent)
                QCOMPARE(statusOf(*all[k]), 200);

        // Before the fleet: it outlives the fleet and the window, which may
        // still report while they are taken down.
        std::shared_ptr<const control::Observation> last;
        remote::FleetControl fleet;
        const char *names[] = {"one", "two", "three"};
        for (std::size_t k = 0; k < all.size(); ++k) {
            QString error;
            auto instance = remote::instanceFromUrl(QStringLiteral("http://127.0.0.1:%1").arg(all[k]->adminPort),
                                                    all[k]->dir.filePath("state/admin-token"), {}, &error);
            QVERIFY2(instance, qPrintable(error));
            instance->name = names[k];
            QVERIFY(fleet.add(*instance).isEmpty());
        }
        ui::DashboardLink link(fleet);
        ui::MainWindow window(link, nullptr);
        window.show();
        connect(&fleet, &control::DashboardControl::observed, this,
                [&last](std::shared_ptr<const control::Observation> o) { last = std::move(o); });
        const auto live = [&last](std::size_t k) { return last && last->fleet && last->fleet->instances[k].live(); };
        QTRY_VERIFY_WITH_TIMEOUT(live(0) && live(1) && live(2), 10000);

        // The fleet's count is the sum of the instances' own.
        QTRY_COMPARE_WITH_TIMEOUT(fleetRequests(*last), std::uint64_t(sent), 5000);
        double fromMetrics = 0;
        for (Instance *i : all)
            fromMetrics += metricRequests(*i);
        QCOMPARE(fromMetrics, double(sent));

        // Force-open from the dashboard: every proxy answers 503.
        window.selectServices({"svc"});
        ui::ActionDialog *dialog = window.startAction(OperatorAction::ForceOpen);
        QVERIFY(dialog);
        // It says first what will happen on each instance, and afterwards what did.
        QTRY_VERIFY(dialog->impactText().contains("one: closed → forced open"));
        QVERIFY(dialog->impactText().contains("three: closed → forced open"));
        dialog->reasonEdit()->setText(QStringLiteral("drill on the fleet"));
        QTRY_VERIFY(dialog->buttons()->button(QDialogButtonBox::Ok)->isEnabled());
        dialog->buttons()->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->resultsText(), QString("one: done\ntwo: done\nthree: done"), 5000);
        for (Instance *i : all) {
            QCOMPARE(statusOf(*i), 503);
            const QJsonObject audit =
                QJsonDocument::fromJson(i->admin("GET", "/api/v1/audit")->body).object().value("audit").toArray().last().toObject();
            QCOMPARE(audit.value("actor").toString(), "fleet-operator");
            QVERIFY(audit.value("origin").toString().startsWith("gui fleet-operator@"));
            QCOMPARE(audit.value("reason").toString(), "drill on the fleet");
        }
        QTRY_COMPARE(last->fleet->breakers.at("svc").open, 3);

        // One instance killed: it greys out, the others go on.
        three.process.kill();
        three.process.waitForFinished(5000);
        QTRY_VERIFY_WITH_TIMEOUT(!live(2), 3000);
        QVERIFY(live(0) && live(1));
        QCOMPARE(last->fleet->breakers.at("svc").reporting, 2);
        QVERIFY(wait(link.changeState(control::TargetKind::Breaker, "svc", OperatorAction::Reset, "over", std::nullopt))
                    .has_value());
        QCOMPARE(statusOf(one), 200);

        // Restarted, it comes back by itself with its forced state; what it
        // did on the way is in the history.
        QVERIFY(three.start());
        QTRY_VERIFY_WITH_TIMEOUT(live(2), 20000);
        QCOMPARE(statusOf(three), 503);
        QTRY_COMPARE(last->fleet->breakers.at("svc").open, 1);
        const auto history = wait(fleet.history(100));
        QVERIFY(history);
        QVERIFY(std::any_of(history->transitions.begin(), history->transitions.end(), [](const TransitionEvent &e) {
            return e.instance == "three" && e.to == BreakerState::ForcedOpen && e.cause.kind == CauseKind::Operator;
        }));
    }

};

QTEST_MAIN(TestE2eFleetDashboard)
#include "tst_e2e_fleet_dashboard.moc"
