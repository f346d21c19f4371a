// The configuration loader: the seed document loads as written, and every
// kind of bad file is refused with file:line:column and a clear message.
#include "config/configloader.h"

#include <QFile>
#include <QTest>

using namespace bb;

namespace {
QString firstError(const std::string &yaml)
{
    const ConfigResult r = parseConfiguration(yaml, "bad.yaml");
    const auto errors = r.errors();
    return errors.empty() ? QStringLiteral("(no error)") : QString::fromStdString(errors.front().toString());
}

const char *const kService = "circuit_breakers:\n  services:\n    a:\n";
} // namespace

class TestConfigLoader : public QObject {
    Q_OBJECT
private slots:
    void theSeedDocumentLoadsAsWritten()
    {
        QFile seed(QStringLiteral(SEED_YAML));
        QVERIFY(seed.open(QIODevice::ReadOnly));
        const ConfigResult r = parseConfiguration(seed.readAll().toStdString(), "seed.yaml");
        QVERIFY(r.ok());
        const Configuration &c = *r.config;
        QCOMPARE(c.services.size(), std::size_t(7));
        const ServiceConfig &payment = *c.service("payment-service");
        QCOMPARE(payment.policy.failureRateThreshold, 30.0);
        QCOMPARE(payment.policy.waitDuration, std::chrono::milliseconds(60000));
        QCOMPARE(payment.policy.windowType, WindowType::Time);
        QCOMPARE(payment.policy.windowSize, 10u);
        QCOMPARE(payment.policy.minimumCalls, 10u);
        QCOMPARE(payment.timeout, std::chrono::milliseconds(3000));
        QCOMPARE(payment.fallback.strategy, FallbackStrategy::Cache);
        QCOMPARE(payment.fallback.cacheKey, std::string("payment:fallback"));
        const ServiceConfig &user = *c.service("user-service");
        QCOMPARE(user.fallback.strategy, FallbackStrategy::Default);
        QCOMPARE(user.fallback.body, std::string("{\"user\":{\"id\":\"anonymous\",\"name\":\"Guest User\"}}"));
        const ServiceConfig &external = *c.service("external-api");
        QCOMPARE(external.fallback.alternative, std::string("backup-api"));
        QCOMPARE(external.policy.waitDuration, std::chrono::milliseconds(120000));
        // Group members the document does not configure get the defaults.
        const ServiceConfig &fraud = *c.service("fraud-detection");
        QCOMPARE(fraud.policy.failureRateThreshold, 50.0);
        QCOMPARE(fraud.policy.waitDuration, std::chrono::milliseconds(30000));
        QCOMPARE(c.groups.size(), std::size_t(2));
        QCOMPARE(c.groups[0].name, std::string("payment"));
        QCOMPARE(c.groups[0].members, (std::vector<std::string>{"payment-service", "fraud-detection", "bank-api"}));
        QCOMPARE(c.groups[1].thresholdPercent, 60.0);
        bool warnedAboutMembers = false;
        for (const auto &i : r.issues)
            warnedAboutMembers = warnedAboutMembers || (i.warning && i.message.find("fraud-detection") != std::string::npos);
        QVERIFY(warnedAboutMembers);
    }

    void theShippedExampleUsesEveryKeyWithoutAWarning()
    {
        const ConfigResult r = loadConfiguration(EXAMPLE_YAML);
        QVERIFY(r.ok());
        QVERIFY(r.issues.empty());
        const Configuration &c = *r.config;
        const ServiceConfig &payment = *c.service("payment-service");
        QCOMPARE(payment.policy.slowCallDuration, std::chrono::milliseconds(1000));
        QCOMPARE(payment.policy.slowCallRateThreshold, std::optional<double>(80.0));
        QCOMPARE(payment.policy.halfOpenSuccessThreshold, 2u);
        QCOMPARE(payment.policy.consecutiveFailures, 20u);
        QCOMPARE(payment.policy.backoffMultiplier, 2.0);
        QCOMPARE(payment.policy.maxWait, std::optional<Duration>(std::chrono::milliseconds(300000)));
        QCOMPARE(payment.timeout, std::chrono::milliseconds(3000));
        QCOMPARE(payment.bulkhead.maxQueue, 20u);
        QCOMPARE(payment.retry.maxAttempts, 3u);
        QCOMPARE(payment.fallback.cacheTtl, std::chrono::milliseconds(300000));
        QVERIFY(payment.isFailureStatus(503) && !payment.isFailureStatus(404) && payment.isIgnoredStatus(404));
        const ServiceConfig &user = *c.service("user-service");
        QCOMPARE(user.routes.size(), std::size_t(2));
        QCOMPARE(user.routes[1].host, std::string("users.internal"));
        QCOMPARE(user.fallback.headers.front(), (std::pair<std::string, std::string>{"X-Degraded", "true"}));
        QCOMPARE(c.service("external-api")->upstream->basePath, std::string("/v2"));
        QVERIFY(c.service("external-api")->upstream->tls);
        QCOMPARE(c.service("external-api")->upstream->port, std::uint16_t(443));
        QVERIFY(!c.service("external-api")->tls); // the example's tls: block is commented out
        QCOMPARE(c.groups[1].members, (std::vector<std::string>{"user-service", "backup-api"}));
        QCOMPARE(c.service("backup-api")->policy.enforcement, 0.0);
        QCOMPARE(payment.policy.enforcement, 100.0);
        QCOMPARE(c.clientLimits, ClientLimits{}); // the example states the defaults
        const ConfigResult changed = parseConfiguration(
            "circuit_breakers:\n  services:\n    a: {}\nproxy:\n  body_idle_timeout: 2500\n  max_connections: 7\n", "p.yaml");
        QVERIFY(changed.ok());
        QCOMPARE(changed.config->clientLimits.bodyIdleTimeout, std::chrono::milliseconds(2500));
        QCOMPARE(changed.config->clientLimits.maxConnections, 7u);
        QCOMPARE(changed.config->clientLimits.bodyTimeout, ClientLimits{}.bodyTimeout);
    }

    void badFilesAreRefusedWithPositions_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const std::string &yaml, const char *expected) {
            QTest::newRow(name) << QString::fromStdString(yaml) << QString::fromUtf8(expected);
        };
        const std::string s = kService;
        row("syntax error", "circuit_breakers:\n  services: [a\n", "bad.yaml:3:1: YAML syntax: end of sequence flow not found");
        row("empty file", "", "bad.yaml:1:1: the file must have a top-level 'circuit_breakers:' mapping");
        row("no circuit_breakers", "breakers:\n  x: 1\n", "bad.yaml:1:1: the file must have a top-level 'circuit_breakers:' mapping");
        row("unknown top-level key", "circuit_breakers:\n  services:\n    a: {}\nextra: 1\n", "bad.yaml:4:1: unknown key 'extra' in the top level");
        row("circuit_breakers not a map", "circuit_breakers: 5\n", "bad.yaml:1:19: circuit_breakers must be a mapping of keys to values");
        row("no services", "circuit_breakers:\n  default: {}\n", "bad.yaml:2:3: circuit_breakers.services must list at least one service");
        row("services a list", "circuit_breakers:\n  services: [a, b]\n", "bad.yaml:2:13: circuit_breakers.services must be a mapping of keys to values");
        row("unknown section", "circuit_breakers:\n  services:\n    a: {}\n  monitoring: {}\n", "bad.yaml:4:3: unknown key 'monitoring' in circuit_breakers");
        row("unknown service key", s + "      failure_treshold: 0.5\n", "bad.yaml:4:7: unknown key 'failure_treshold' in service 'a'");
        row("duplicate service", "circuit_breakers:\n  services:\n    a: {}\n    a: {}\n", "bad.yaml:4:5: service 'a' is defined twice");
        row("threshold above 1", s + "      failure_threshold: 1.5\n", "bad.yaml:4:26: failure_threshold must be between 0 and 1, got 1.5");
        row("threshold zero", s + "      failure_threshold: 0\n", "bad.yaml:4:26: failure_threshold must be above 0, got 0");
        row("threshold not a number", s + "      failure_threshold: half\n", "bad.yaml:4:26: failure_threshold must be a number, got 'half'");
        row("recovery negative", s + "      recovery_timeout: -5\n", "bad.yaml:4:25: recovery_timeout (milliseconds) must be between 1 and 86400000, got -5");
        row("recovery fractional", s + "      recovery_timeout: 1.5\n", "bad.yaml:4:25: recovery_timeout (milliseconds) must be a whole number, got '1.5'");
        row("monitoring too short", s + "      monitoring_period: 10\n", "bad.yaml:4:26: monitoring_period (milliseconds) must be between 1000 and 3600000, got 10");
        row("volume zero", s + "      volume_threshold: 0\n", "bad.yaml:4:25: volume_threshold must be between 1 and 100000, got 0");
        row("timeout a list", s + "      timeout: [1]\n", "bad.yaml:4:16: timeout (milliseconds) must be a whole number, got 'a block'");
        row("bad upstream scheme", s + "      upstream: ftp://x:21\n", "bad.yaml:4:17: upstream must be an http:// or https:// URL, got 'ftp://x:21'");
        row("bad upstream port", s + "      upstream: http://127.0.0.1:99999\n", "bad.yaml:4:17: upstream URL has a bad port '99999': 'http://127.0.0.1:99999'");
        row("upstream without host", s + "      upstream: http://:80/\n", "bad.yaml:4:17: upstream URL needs a host: 'http://:80/'");
        row("route with port", s + "      route: host.example:80\n", "bad.yaml:4:14: route must be a path prefix starting with '/' or a host name without port, got 'host.example:80'");
        row("window type", s + "      window: {type: sliding, size: 10}\n", "bad.yaml:4:22: window.type must be 'count' or 'time', got 'sliding'");
        row("window too large", s + "      window: {type: count, size: 2000000}\n", "bad.yaml:4:35: window.size (calls) must be between 1 and 100000, got 2000000");
        row("minimum above count window", s + "      window: {type: count, size: 5}\n      volume_threshold: 10\n", "bad.yaml:4:7: service 'a': volume_threshold must not exceed the count window's 5 calls, got 10");
        row("success above permits", s + "      half_open: {permitted_calls: 2, success_threshold: 3}\n", "bad.yaml:4:7: service 'a': half_open.success_threshold must be between 1 and half_open.permitted_calls (2), got 3");
        row("jitter too big", s + "      backoff: {jitter: 1.5}\n", "bad.yaml:4:25: backoff.jitter must be between 0 and 0.99, got 1.5");
        row("max wait below wait", s + "      recovery_timeout: 5000\n      backoff: {max_wait: 1000}\n", "bad.yaml:4:7: service 'a': backoff.max_wait must be at least wait_duration (5000 ms) and at most 24 h, got 1000 ms");
        row("unknown fallback strategy", s + "      fallback: {strategy: magic}\n", "bad.yaml:4:28: fallback.strategy must be default, cache or alternative_service, got 'magic'");
        row("fallback without strategy", s + "      fallback: {enabled: true}\n", "bad.yaml:4:17: fallback needs a strategy: default, cache or alternative_service");
        row("fallback status", s + "      fallback: {strategy: default, status: 99}\n", "bad.yaml:4:45: fallback.status must be between 200 and 599, got 99");
        row("own alternative", s + "      fallback: {strategy: alternative_service, alternative_service: a}\n", "bad.yaml:4:7: service 'a': a service cannot be its own alternative_service");
        row("bad status class", s + "      failure_statuses: [\"6xx\"]\n", "bad.yaml:4:26: failure_statuses: '6xx' is not a status, a class like 5xx or a range like 500-504");
        row("status out of range", s + "      ignored_statuses: [700]\n", "bad.yaml:4:26: ignored_statuses: '700' is outside 100-599");
        row("bulkhead zero", s + "      bulkhead: {max_concurrent: 0}\n", "bad.yaml:4:34: bulkhead.max_concurrent must be between 1 and 1000000, got 0");
        row("retry too many", s + "      retry: {max_attempts: 50}\n", "bad.yaml:4:29: retry.max_attempts must be between 1 and 10, got 50");
        row("group threshold 1", "circuit_breakers:\n  services:\n    a: {}\n  hierarchical:\n    groups:\n      g: {services: [a], group_threshold: 1}\n",
            "bad.yaml:6:43: group_threshold must be below 1 (the group opens when more than this share is open)");
        row("group without services", "circuit_breakers:\n  services:\n    a: {}\n  hierarchical:\n    groups:\n      g: {group_threshold: 0.5}\n",
            "bad.yaml:6:10: group 'g' needs a list of services");
        row("group without a name", "circuit_breakers:\n  services:\n    a: {}\n  hierarchical:\n    groups:\n      \"\": {services: [a]}\n",
            "bad.yaml:6:7: group name '' must be non-empty without spaces, quotes or slashes");
        row("group name with a slash", "circuit_breakers:\n  services:\n    a: {}\n  hierarchical:\n    groups:\n      a/b: {services: [a]}\n",
            "bad.yaml:6:7: group name 'a/b' must be non-empty without spaces, quotes or slashes");
        row("group member twice", "circuit_breakers:\n  services:\n    a: {}\n  hierarchical:\n    groups:\n      g: {services: [a, a]}\n",
            "bad.yaml:6:25: group 'g': member 'a' is listed twice");
        row("proxy not a map", "circuit_breakers:\n  services:\n    a: {}\nproxy: 5\n", "bad.yaml:4:8: proxy must be a mapping of keys to values");
        row("unknown proxy key", "circuit_breakers:\n  services:\n    a: {}\nproxy:\n  body_timeot: 5\n", "bad.yaml:5:3: unknown key 'body_timeot' in proxy");
        row("proxy timeout zero", "circuit_breakers:\n  services:\n    a: {}\nproxy:\n  body_timeout: 0\n", "bad.yaml:5:17: body_timeout (milliseconds) must be between 1 and 86400000, got 0");
        row("header limit too small", "circuit_breakers:\n  services:\n    a: {}\nproxy:\n  max_header_bytes: 10\n", "bad.yaml:5:21: max_header_bytes must be between 1024 and 1048576, got 10");
        row("enforcement above 100", s + "      enforcement: 150\n", "bad.yaml:4:20: enforcement (percent; 0 monitors only) must be between 0 and 100, got 150");
        row("enforcement negative", s + "      enforcement: -1\n", "bad.yaml:4:20: enforcement (percent; 0 monitors only) must be between 0 and 100, got -1");
        row("enforcement a word", s + "      enforcement: monitor\n", "bad.yaml:4:20: enforcement (percent; 0 monitors only) must be a number, got 'monitor'");
        row("enforcement not finite", s + "      enforcement: .nan\n", "bad.yaml:4:20: enforcement (percent; 0 monitors only) must be a number, got '.nan'");
        row("duplicate key", s + "      recovery_timeout: 5000\n      recovery_timeout: 6000\n", "bad.yaml:5:7: key 'recovery_timeout' appears twice in service 'a'");
    }

    void badFilesAreRefusedWithPositions()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        QCOMPARE(firstError(yaml.toStdString()), expected);
        QVERIFY(!parseConfiguration(yaml.toStdString(), "bad.yaml").ok());
    }

    void everyErrorIsReportedInFileOrder()
    {
        const std::string yaml = std::string(kService) + "      failure_threshold: 3\n      recovery_timeout: x\n    b:\n      nonsense: 1\n";
        const ConfigResult r = parseConfiguration(yaml, "f.yaml");
        const auto errors = r.errors();
        QCOMPARE(errors.size(), std::size_t(3));
        QCOMPARE(errors[0].line, 4);
        QCOMPARE(errors[1].line, 5);
        QCOMPARE(errors[2].line, 7);
    }

    void policyEditsAreCheckedLikeTheFile()
    {
        ServiceConfig current;
        current.name = std::string(1, 'a');
        const PolicyEditResult good = applyPolicyEdit(current, "{\"failure_threshold\": 0.25, \"half_open\": {\"permitted_calls\": 5}}");
        QVERIFY(good.service.has_value());
        QCOMPARE(good.service->policy.failureRateThreshold, 25.0);
        QCOMPARE(good.service->policy.halfOpenPermittedCalls, 5u);
        QCOMPARE(good.service->policy.waitDuration, current.policy.waitDuration);

        const PolicyEditResult bad = applyPolicyEdit(current, "{\"failure_threshold\": 3, \"upstream\": \"http://x\"}");
        QVERIFY(!bad.service);
        QCOMPARE(bad.errors.size(), std::size_t(1));
        QCOMPARE(bad.errors[0].message, std::string("unknown key 'upstream' in a policy edit"));
        const PolicyEditResult range = applyPolicyEdit(current, "{\"failure_threshold\": 3}");
        QCOMPARE(range.errors.at(0).message, std::string("failure_threshold must be between 0 and 1, got 3"));
        const PolicyEditResult cross = applyPolicyEdit(current, "{\"half_open\": {\"success_threshold\": 9}}");
        QCOMPARE(cross.errors.at(0).message,
                 std::string("half_open.success_threshold must be between 1 and half_open.permitted_calls (3), got 9"));
        QVERIFY(!applyPolicyEdit(current, "{\"failure_threshold\": ").service);
        const PolicyEditResult monitor = applyPolicyEdit(current, "{\"enforcement\": 25}");
        QVERIFY(monitor.service.has_value());
        QCOMPARE(monitor.service->policy.enforcement, 25.0);
        QCOMPARE(applyPolicyEdit(current, "{\"enforcement\": 101}").errors.at(0).message,
                 std::string("enforcement (percent; 0 monitors only) must be between 0 and 100, got 101"));
    }

    void anUnreadableFileIsAnError()
    {
        const ConfigResult r = loadConfiguration("/nonexistent/config.yaml");
        QVERIFY(!r.ok());
        QCOMPARE(r.errors().front().toString(), std::string("/nonexistent/config.yaml:1:1: cannot read the file"));
    }
};

QTEST_APPLESS_MAIN(TestConfigLoader)
#include "tst_config_loader.moc"
