// The control surface's figures: loading and checking a 1,000-service
// configuration, one /metrics scrape over HTTP with 1,000 breakers, the
// memory 100,000 policy edits leave behind, and the time from a force-open
// sent to the admin API until the proxy, under load from wrk, rejects. Each
// is compared with the issue's target as a ratio.
#include "benchtesting.h"
#include "httpclient.h"

#include "config/configloader.h"
#include "control/adminserver.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"
#include "proxy/routetable.h"
#include "telemetry/metricscollector.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStandardPaths>

#include <algorithm>
#include <future>
#include <memory>
#include <vector>

using namespace bb;
using namespace bb::testing;

namespace {
constexpr int kServices = 1000;

void report(const char *name, double value, const char *unit, double target)
{
    std::printf("bench: %s %.2f %s\n", name, value, unit);
    std::printf("bench: %s_vs_target %.3f ratio\n", name, value / target);
}

QString thousandServices()
{
    QString y = QStringLiteral("circuit_breakers:\n  default:\n    failure_threshold: 0.5\n    recovery_timeout: 30000\n"
                               "    monitoring_period: 60000\n    volume_threshold: 20\n  services:\n");
    for (int i = 0; i < kServices; ++i)
        y += QStringLiteral("    svc-%1:\n      upstream: http://127.0.0.1:%2/\n      route: /svc-%1\n"
                            "      window: {type: count, size: 100}\n      half_open: {permitted_calls: 5, success_threshold: 3}\n"
                            "      slow_call: {duration: 800, rate_threshold: 0.6}\n      retry: {max_attempts: 2}\n"
                            "      fallback: {strategy: default, status: 200, body: \"{}\"}\n")
                 .arg(i, 4, 10, QLatin1Char('0'))
                 .arg(20000 + i);
    y += QStringLiteral("  hierarchical:\n    enabled: true\n    groups:\n");
    for (int g = 0; g < kServices / 10; ++g) {
        y += QStringLiteral("      group-%1:\n        group_threshold: 0.5\n        services: [").arg(g);
        for (int m = 0; m < 10; ++m)
            y += QStringLiteral("%1svc-%2").arg(m ? ", " : "").arg(g * 10 + m, 4, 10, QLatin1Char('0'));
        y += QStringLiteral("]\n");
    }
    return y;
}

double configLoadMs(const QString &path)
{
    std::vector<double> runs;
    for (int i = 0; i < 7; ++i) {
        QElapsedTimer t;
        t.start();
        const ConfigResult r = loadConfiguration(path.toStdString());
        runs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!r.ok() || r.config->services.size() != std::size_t(kServices))
            std::fprintf(stderr, "the 1,000-service file did not load: %s\n", r.issues.front().toString().c_str());
    }
    return percentile(runs, 0.5);
}

// The admin API on its own thread, as in the program; the client on this one.
double metricsScrapeMs(const Configuration &config)
{
    std::promise<quint16> port;
    QThread *control = QThread::create([&] {
        SystemClock clock;
        ThreadTimer timers(clock);
        Engine engine(clock, timers);
        installConfiguration(config, engine);
        auto routes = std::make_shared<const proxy::RouteTable>(config, engine);
        control::ControlService service(engine, config);
        const telemetry::MetricsCollector metrics(engine, routes);
        control::AdminServer admin(service, control::AdminRouter(service, {}, [&] { return metrics.scrape(); }));
        QString error;
        admin.listen(QHostAddress::LocalHost, 0, &error);
        port.set_value(admin.port());
        QEventLoop().exec(); // until quit()
    });
    control->start();
    HttpClient client(port.get_future().get());
    std::vector<double> runs;
    std::size_t bytes = 0;
    for (int i = 0; i < 21; ++i) {
        QElapsedTimer t;
        t.start();
        const auto r = client.get("/metrics");
        runs.push_back(double(t.nsecsElapsed()) / 1e6);
        bytes = r ? std::size_t(r->body.size()) : 0;
    }
    control->quit();
    control->wait();
    delete control;
    std::printf("bench: metrics_scrape_1000_bytes %zu bytes\n", bytes);
    return percentile(runs, 0.5);
}

struct StateChangeSamples {
    std::vector<double> untilRejected; // POST sent → first 503 seen by the probe
    std::vector<double> probeRoundTrip; // one probe request under the same load, no change
};

// Force-open through the API until the proxy answers 503, under wrk's load.
StateChangeSamples stateChangeMs()
{
    NginxProcess upstream(QStringLiteral("location / { return 200 'ok'; }"));
    Breakerboard bb(QStringLiteral("circuit_breakers:\n  services:\n    bench:\n      upstream: http://127.0.0.1:%1\n"
                                   "      route: /\n")
                        .arg(upstream.port()));
    QProcess load;
    load.start(QStringLiteral("wrk"), {QStringLiteral("-t1"), QStringLiteral("-c32"), QStringLiteral("-d120s"),
                                       QStringLiteral("http://127.0.0.1:%1/").arg(bb.port)});
    QThread::msleep(1000);
    const QByteArray auth = "Authorization: Bearer " + bb.adminToken() + "\r\n";
    HttpClient admin(bb.adminPort);
    HttpClient probe(bb.port);
    const auto waitForStatus = [&probe](int status) {
        for (int i = 0; i < 10000; ++i)
            if (auto r = probe.get("/"); r && r->status == status)
                return true;
        return false;
    };
    StateChangeSamples out;
    for (int i = 0; i < 200; ++i) {
        QElapsedTimer rtt;
        rtt.start();
        probe.get("/");
        out.probeRoundTrip.push_back(double(rtt.nsecsElapsed()) / 1e6);
        QElapsedTimer t;
        t.start();
        admin.send("POST /api/v1/breakers/bench/state HTTP/1.1\r\nHost: x\r\n" + auth +
                   "Content-Length: 24\r\n\r\n{\"state\":\"forced_open\"}\n");
        const bool rejected = waitForStatus(503);
        out.untilRejected.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!rejected || !admin.read() || admin.request("POST", "/api/v1/breakers/bench/state", "{\"state\":\"closed\"}", auth)->status != 200 ||
            !waitForStatus(200)) {
            std::fprintf(stderr, "the state change round %d failed\n", i);
            break;
        }
    }
    load.kill();
    load.waitForFinished(5000);
    return out;
}
// A headless instance's resident memory before and after 100,000 policy
// edits through the admin API, alternating between a 100,000-call count
// window and a 10-second time window (every edit replaces the window).
double policyEditRssGrowthMb()
{
    Breakerboard bb(QStringLiteral("circuit_breakers:\n  services:\n    bench:\n      upstream: http://127.0.0.1:9/\n"
                                   "      route: /\n"));
    const QByteArray auth = "Authorization: Bearer " + bb.adminToken() + "\r\n";
    auto admin = std::make_unique<HttpClient>(bb.adminPort);
    const auto edit = [&](int i) {
        const QByteArray body = i % 2 ? "{\"window\": {\"type\": \"count\", \"size\": 100000}, \"volume_threshold\": 10}"
                                      : "{\"window\": {\"type\": \"time\", \"size\": 10}, \"volume_threshold\": 10}";
        auto r = admin->request("PATCH", "/api/v1/breakers/bench/policy", body, auth);
        if (!r) { // the connection went: once more on a new one
            admin = std::make_unique<HttpClient>(bb.adminPort);
            r = admin->request("PATCH", "/api/v1/breakers/bench/policy", body, auth);
        }
        if (r && r->status != 200)
            std::fprintf(stderr, "policy edit %d: %d %s\n", i, r->status, r->body.constData());
        return r && r->status == 200;
    };
    for (int i = 0; i < 1000; ++i) {
        if (!edit(i)) {
            std::fprintf(stderr, "policy edit %d failed\n", i);
            return -1;
        }
    }
    const double before = bb.rssMb();
    QElapsedTimer t;
    t.start();
    constexpr int kEdits = 100'000;
    for (int i = 0; i < kEdits; ++i) {
        if (!edit(i)) {
            std::fprintf(stderr, "policy edit %d failed\n", i);
            return -1;
        }
    }
    std::printf("bench: policy_edits_per_s %.0f edits/s\n", kEdits / (double(t.nsecsElapsed()) / 1e9));
    std::printf("bench: policy_edit_rss_before_mb %.1f MB\n", before);
    return bb.rssMb() - before;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("thousand.yaml"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(thousandServices().toUtf8());
    f.close();

    report("config_load_1000_services_ms", configLoadMs(path), "ms", 200.0);
    const ConfigResult loaded = loadConfiguration(path.toStdString());
    if (!loaded.ok())
        return 1;
    report("metrics_scrape_1000_ms", metricsScrapeMs(*loaded.config), "ms", 50.0);
    report("policy_edit_rss_growth_mb", policyEditRssGrowthMb(), "MB", 5.0);

    if (NginxProcess::binary().isEmpty() || QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::fprintf(stderr, "admin_state_change needs nginx and wrk (apt-get install nginx wrk)\n");
        return 1;
    }
    const StateChangeSamples s = stateChangeMs();
    std::printf("bench: admin_state_change_samples %zu count\n", s.untilRejected.size());
    std::printf("bench: admin_state_change_p50_ms %.3f ms\n", percentile(s.untilRejected, 0.5));
    report("admin_state_change_p99_ms", percentile(s.untilRejected, 0.99), "ms", 5.0);
    // The floor under that figure: one proxied request under the same load.
    std::printf("bench: proxy_probe_p50_ms %.3f ms\n", percentile(s.probeRoundTrip, 0.5));
    std::printf("bench: proxy_probe_p99_ms %.3f ms\n", percentile(s.probeRoundTrip, 0.99));
    return 0;
}
