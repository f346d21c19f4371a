// /metrics as Prometheus reads it: exact values after a known sequence of
// calls, and an exposition that promtool accepts.
#include "proxyrig.h"

#include "control/adminserver.h"
#include "telemetry/metricscollector.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

using namespace bb;
using namespace bb::testing;

namespace {
bool hasLine(const std::string &text, const std::string &line)
{
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// Every PromQL expression of a Grafana dashboard, wherever it sits.
void collectExpressions(const QJsonValue &v, QStringList &out)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if ((it.key() == QLatin1String("expr") || it.key() == QLatin1String("query")) && it.value().isString())
                out << it.value().toString();
            else
                collectExpressions(it.value(), out);
        }
    } else if (v.isArray()) {
        for (const auto &item : v.toArray())
            collectExpressions(item, out);
    }
}

BreakerPolicy countWindow(std::uint32_t size, std::uint32_t minimumCalls)
{
    BreakerPolicy p;
    p.windowType = WindowType::Count;
    p.windowSize = size;
    p.minimumCalls = minimumCalls;
    return p;
}

// The metric families an instance with a route table and shared state
// exposes (a histogram's series names included), from a real scrape.
QSet<QString> exposedFamilies()
{
    ManualClock clock;
    Engine engine(clock, clock);
    Configuration c;
    c.services.push_back(service("a", "http://127.0.0.1:9/"));
    c.groups.push_back({"g", {"a"}, 50.0});
    installConfiguration(c, engine);
    engine.breaker("a")->apply({OperatorAction::ForceOpen, "ops", "drill", std::chrono::seconds(60)});
    engine.group("g")->apply({OperatorAction::ForceClosed, "ops", "drill", std::chrono::seconds(60)});
    const auto routes = std::make_shared<const proxy::RouteTable>(c, engine);
    telemetry::MetricsCollector collector(engine, routes);
    collector.setSharedStateConnected([] { return true; });
    const QString text = QString::fromStdString(collector.scrape());
    QSet<QString> families;
    for (const auto &m : QRegularExpression(QStringLiteral("^# TYPE (\\S+) (\\S+)$"), QRegularExpression::MultilineOption)
                             .globalMatch(text)) {
        families << m.captured(1);
        if (m.captured(2) == QLatin1String("histogram"))
            families << m.captured(1) + "_bucket" << m.captured(1) + "_sum" << m.captured(1) + "_count";
    }
    return families;
}

QStringList metricNames(const QString &text)
{
    QStringList names;
    for (const auto &m : QRegularExpression(QStringLiteral("\\b(circuit_breaker|breakerboard)_[a-z_]+")).globalMatch(text))
        names << m.captured(0);
    return names;
}

#define QVERIFY_LINE(text, line) QVERIFY2(hasLine(text, line), (std::string("missing: ") + line + "\n" + text).c_str())
} // namespace

class TestTelemetryMetrics : public QObject {
    Q_OBJECT
private slots:
    void engineFiguresAfterAKnownSequence()
    {
        ManualClock clock;
        Engine engine(clock, clock);
        BreakerPolicy p = countWindow(10, 4);
        p.slowCallDuration = ms(100);
        auto b = engine.addBreaker("payment-service", p);
        engine.addBreaker("user-service", p);
        engine.addGroup("payment", {"payment-service", "user-service"}, 40.0);
        auto call = [&b](Outcome o, int latencyMs) {
            const Permit permit = b->tryAcquire();
            if (permit)
                b->record(permit, o, ms(latencyMs));
        };
        call(Outcome::Success, 10);
        call(Outcome::Success, 150); // slow
        call(Outcome::Timeout, 5000);
        call(Outcome::Failure, 10); // 2 of 4: trips
        call(Outcome::Success, 10); // rejected
        call(Outcome::Success, 10); // rejected

        const std::string text = telemetry::MetricsCollector(engine, nullptr).scrape();
        QVERIFY_LINE(text, "circuit_breaker_state{circuit_breaker=\"payment-service\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_state{circuit_breaker=\"user-service\"} 0");
        QVERIFY_LINE(text, "circuit_breaker_successes_total{circuit_breaker=\"payment-service\"} 2");
        QVERIFY_LINE(text, "circuit_breaker_failures_total{circuit_breaker=\"payment-service\"} 2");
        QVERIFY_LINE(text, "circuit_breaker_timeouts_total{circuit_breaker=\"payment-service\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_slow_calls_total{circuit_breaker=\"payment-service\"} 2");
        QVERIFY_LINE(text, "circuit_breaker_rejects_total{circuit_breaker=\"payment-service\"} 2");
        QVERIFY_LINE(text, "circuit_breaker_failure_rate{circuit_breaker=\"payment-service\"} 0.5");
        QVERIFY_LINE(text, "circuit_breaker_transitions_total{circuit_breaker=\"payment-service\",from=\"closed\",to=\"open\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_state_detail{circuit_breaker=\"payment-service\",state=\"open\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_group_state{group=\"payment\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_group_members_open{group=\"payment\"} 1");

        engine.breaker("user-service")->apply({OperatorAction::ForceClosed, "ops", "drill", std::nullopt});
        const std::string after = telemetry::MetricsCollector(engine, nullptr).scrape();
        QVERIFY_LINE(after, "circuit_breaker_state{circuit_breaker=\"user-service\"} 0");
        QVERIFY_LINE(after, "circuit_breaker_state_detail{circuit_breaker=\"user-service\",state=\"forced_closed\"} 1");
    }

    void enforcementAndTheAgesOfStates()
    {
        ManualClock clock;
        Engine engine(clock, clock);
        BreakerPolicy p = countWindow(4, 4);
        p.enforcement = 25;
        p.waitDuration = std::chrono::hours(1);
        auto watched = engine.addBreaker("watched", p);
        p.enforcement = 100;
        auto forced = engine.addBreaker("forced", p);
        auto group = engine.addGroup("pair", {"watched", "forced"}, 50.0);
        for (int i = 0; i < 8; ++i) {
            const Permit permit = watched->tryAcquire();
            if (permit)
                watched->record(permit, Outcome::Failure, ms(1)); // 4 open it; of the next 4, 3 go through
        }
        forced->apply({OperatorAction::ForceOpen, "ops", "drill", std::chrono::seconds(600)});
        group->apply({OperatorAction::ForceClosed, "ops", "drill", std::chrono::seconds(900)});
        clock.advance(std::chrono::seconds(100));

        const std::string text = telemetry::MetricsCollector(engine, nullptr).scrape();
        QVERIFY_LINE(text, "circuit_breaker_enforcement_ratio{circuit_breaker=\"watched\"} 0.25");
        QVERIFY_LINE(text, "circuit_breaker_enforcement_ratio{circuit_breaker=\"forced\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_would_rejects_total{circuit_breaker=\"watched\"} 3");
        QVERIFY_LINE(text, "circuit_breaker_rejects_total{circuit_breaker=\"watched\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_failures_total{circuit_breaker=\"watched\"} 7");
        QVERIFY_LINE(text, "circuit_breaker_state_seconds{circuit_breaker=\"watched\"} 100");
        QVERIFY_LINE(text, "circuit_breaker_forced_expiry_seconds{circuit_breaker=\"forced\"} 500");
        QVERIFY(text.find("circuit_breaker_forced_expiry_seconds{circuit_breaker=\"watched\"}") == std::string::npos);
        QVERIFY_LINE(text, "circuit_breaker_group_state_detail{group=\"pair\",state=\"forced_closed\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_group_state_detail{group=\"pair\",state=\"open\"} 0");
        QVERIFY_LINE(text, "circuit_breaker_group_state_seconds{group=\"pair\"} 100");
        QVERIFY_LINE(text, "circuit_breaker_group_forced_expiry_seconds{group=\"pair\"} 800");
    }

    void proxyFiguresAndTheExpositionFormat()
    {
        TestUpstream up;
        Configuration c;
        ServiceConfig s = service("a", up.url() + "/");
        s.fallback.strategy = FallbackStrategy::Default;
        s.fallback.body = "fallback";
        c.services.push_back(s);
        ProxyRig rig(c);
        HttpClient client(rig.port());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(client.get("/a/ok")->status, 200);
        QCOMPARE(client.get("/a/status/404")->status, 404);
        rig.breaker("a").apply({OperatorAction::ForceOpen, "ops", "drill", std::nullopt});
        QCOMPARE(client.get("/a/ok")->body, QByteArray("fallback"));
        QCOMPARE(rig.counted("a", 5), 5u);

        // Scraped as Prometheus does: GET /metrics on the admin API.
        control::ControlService control(rig.engine, c);
        const telemetry::MetricsCollector metrics(rig.engine, rig.routes);
        control::AdminServer admin(control, control::AdminRouter(control, {}, [&] { return metrics.scrape(); }));
        QString error;
        QVERIFY2(admin.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
        const auto scraped = HttpClient(admin.port(), true).get("/metrics");
        QVERIFY(scraped);
        QCOMPARE(scraped->status, 200);
        QCOMPARE(scraped->header("Content-Type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        const std::string text = scraped->body.toStdString();
        QVERIFY_LINE(text, "breakerboard_requests_total{circuit_breaker=\"a\",outcome=\"success\"} 3");
        QVERIFY_LINE(text, "breakerboard_requests_total{circuit_breaker=\"a\",outcome=\"ignored\"} 1");
        QVERIFY_LINE(text, "breakerboard_requests_total{circuit_breaker=\"a\",outcome=\"fallback\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_fallbacks_total{circuit_breaker=\"a\"} 1");
        QVERIFY_LINE(text, "circuit_breaker_fallbacks_by_strategy_total{circuit_breaker=\"a\",strategy=\"default\"} 1");
        QVERIFY_LINE(text, "breakerboard_request_duration_seconds_count{circuit_breaker=\"a\"} 5");
        QVERIFY_LINE(text, "breakerboard_request_duration_seconds_bucket{circuit_breaker=\"a\",le=\"+Inf\"} 5");
        QVERIFY_LINE(text, "circuit_breaker_state{circuit_breaker=\"a\"} 1");

        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool is missing: scripts/setup.sh installs it (Debian's prometheus)");
        QProcess lint;
        lint.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        lint.write(QByteArray::fromStdString(text));
        lint.closeWriteChannel();
        QVERIFY(lint.waitForFinished(20000));
        const QByteArray said = lint.readAllStandardOutput() + lint.readAllStandardError();
        QVERIFY2(lint.exitCode() == 0, said.constData());
    }

    void theGrafanaDashboardUsesOnlyExposedMetrics()
    {
        QFile file(QStringLiteral(GRAFANA_DASHBOARD));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonDocument dashboard = QJsonDocument::fromJson(file.readAll());
        QVERIFY(dashboard.isObject());
        QStringList expressions;
        collectExpressions(dashboard.object(), expressions);
        QVERIFY(expressions.size() >= 10);
        const QSet<QString> families = exposedFamilies();
        int used = 0;
        for (const QString &expr : expressions) {
            for (const QString &name : metricNames(expr)) {
                QVERIFY2(families.contains(name), qPrintable(name + " is not exposed: " + expr));
                ++used;
            }
        }
        QVERIFY(used >= expressions.size());
    }

    void theAlertRulesUseOnlyExposedMetrics()
    {
        QFile file(QStringLiteral(ALERT_RULES));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList names = metricNames(QString::fromUtf8(file.readAll()));
        QVERIFY(names.size() >= 9);
        const QSet<QString> families = exposedFamilies();
        for (const QString &name : names)
            QVERIFY2(families.contains(name), qPrintable(name + " is not exposed"));
    }

    void theAlertRulesPassPromtoolsCheckAndTheirUnitTests()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool is missing: scripts/setup.sh installs it (Debian's prometheus)");
        const auto run = [&promtool](const QStringList &args) {
            QProcess p;
            p.start(promtool, args);
            if (!p.waitForFinished(60000))
                return std::pair(-1, QByteArray("promtool did not finish"));
            return std::pair(p.exitCode(), p.readAllStandardOutput() + p.readAllStandardError());
        };
        const auto [checkCode, check] = run({QStringLiteral("check"), QStringLiteral("rules"), QStringLiteral(ALERT_RULES)});
        QVERIFY2(checkCode == 0, check.constData());
        QVERIFY2(check.contains("SUCCESS: 9 rules found"), check.constData());
        const auto [testCode, tested] = run({QStringLiteral("test"), QStringLiteral("rules"), QStringLiteral(ALERT_TESTS)});
        QVERIFY2(testCode == 0, tested.constData());
        QVERIFY2(tested.contains("SUCCESS"), tested.constData());
    }
};

QTEST_GUILESS_MAIN(TestTelemetryMetrics)
#include "tst_telemetry_metrics.moc"
