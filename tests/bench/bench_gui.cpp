// The dashboard's costs, under Xvfb (ctest runs this through xvfb-run):
// - gui_1000_services_cpu_pct: GUI-thread CPU with 1,000 breakers updating
//   at 10 Hz, table view with a service's charts open, and the tile view;
// - gui_rss_mb_1000_services: resident memory after BENCH_GUI_SECONDS
//   (default 600) of that;
// - startup_to_window_ms: from launching `breakerboard --demo` to its
//   "Dashboard open." line, printed after the first paint (median of 5);
// - proxy_rps_with_gui_ratio: proxy requests/s with the dashboard open over
//   headless, the same nginx upstream, alternating runs, in one run.
#include "benchtesting.h"

#include "control/controlservice.h"
#include "control/localdashboardcontrol.h"
#include "control/threadcall.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"
#include "ui/dashboardlink.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>

#include <atomic>
#include <ctime>
#include <random>
#include <thread>

using namespace bb;
using namespace bb::testing;

namespace {

double ownRssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    status.open(QIODevice::ReadOnly);
    const auto m = QRegularExpression(QStringLiteral("VmRSS:\\s+(\\d+) kB")).match(QString::fromLatin1(status.readAll()));
    return m.captured(1).toDouble() / 1024.0;
}

// GUI-thread CPU over `seconds` of the event loop, as a percentage of one core.
double guiCpuPercent(int seconds)
{
    const double cpu0 = threadCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    QTest::qWait(seconds * 1000);
    return 100.0 * (threadCpuSeconds() - cpu0) / (double(wall.nsecsElapsed()) / 1e9);
}

Configuration thousandServices()
{
    Configuration config;
    for (int i = 0; i < 1000; ++i) {
        ServiceConfig s;
        s.name = "svc-" + std::to_string(i);
        s.policy.minimumCalls = 5;
        s.policy.waitDuration = std::chrono::seconds(5);
        s.upstream = parseUpstreamUrl("http://127.0.0.1:9/", nullptr);
        config.services.push_back(s);
    }
    for (int g = 0; g < 50; ++g) {
        GroupConfig group;
        group.name = "group-" + std::to_string(g);
        for (int i = 0; i < 20; ++i)
            group.members.push_back("svc-" + std::to_string(g * 20 + i));
        config.groups.push_back(group);
    }
    return config;
}

void inProcessFigures()
{
    SystemClock clock;
    ThreadTimer timers(clock);
    Engine engine(clock, timers);
    const Configuration config = thousandServices();
    installConfiguration(config, engine);
    auto routes = std::make_shared<const proxy::RouteTable>(config, engine);
    control::ObjectThread controlThread(QStringLiteral("control"));
    std::unique_ptr<control::ControlService> service;
    controlThread.call([&] {
        service = std::make_unique<control::ControlService>(engine, config);
        service->observeTraffic(routes);
    });

    // Traffic as the proxy would count it: ~20 calls a second per service,
    // some services failing so states, rates and latencies keep moving.
    std::atomic<bool> stop{false};
    std::thread load([&] {
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> pick(0, 999);
        std::uniform_real_distribution<double> unit(0, 1);
        const auto &services = routes->services();
        while (!stop) {
            for (int n = 0; n < 200; ++n) {
                proxy::ServiceRuntime &s = *services[std::size_t(pick(rng))];
                const bool failing = (std::stoi(s.config.name.substr(4)) % 10) == 0;
                const Permit p = s.breaker->tryAcquire();
                if (!p) {
                    s.counters.count(proxy::RequestOutcome::RejectedBreaker);
                    continue;
                }
                const bool failed = unit(rng) < (failing ? 0.6 : 0.02);
                const double ms = 5 + 40 * unit(rng);
                s.breaker->record(p, failed ? Outcome::Failure : Outcome::Success,
                                  std::chrono::microseconds(std::int64_t(ms * 1000)));
                s.counters.count(failed ? proxy::RequestOutcome::Failure : proxy::RequestOutcome::Success);
                s.counters.observeDuration(ms);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });

    {
        control::LocalDashboardControl control(*service);
        ui::DashboardLink link(control);
        ui::MainWindow window(link, nullptr);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            std::fprintf(stderr, "the window was not shown\n");
        QTest::qWait(3000); // the first rows and columns settle
        window.selectServices({QStringLiteral("svc-10")});
        const double tableCpu = guiCpuPercent(20);
        window.showTiles(true);
        const double tilesCpu = guiCpuPercent(20);
        window.showTiles(false);
        std::printf("bench: gui_1000_services_cpu_pct %.1f %%\n", tableCpu);
        std::printf("bench: gui_1000_services_cpu_ratio_vs_target %.3f ratio\n", tableCpu / 30.0);
        std::printf("bench: gui_1000_services_tiles_cpu_pct %.1f %%\n", tilesCpu);
        std::fflush(stdout);

        const int soak = qEnvironmentVariableIsSet("BENCH_GUI_SECONDS") ? qEnvironmentVariableIntValue("BENCH_GUI_SECONDS") : 600;
        QTest::qWait(std::max(0, soak - 40) * 1000);
        const double rss = ownRssMb();
        std::printf("bench: gui_rss_mb_1000_services %.1f MB (after %d s)\n", rss, soak);
        std::printf("bench: gui_rss_ratio_vs_target %.3f ratio\n", rss / 250.0);
        std::printf("bench: gui_observations_applied %d count\n", window.observationsApplied());
    }
    stop = true;
    load.join();
    controlThread.call([&] { service.reset(); });
}

double startupMs()
{
    std::vector<double> runs;
    for (int i = 0; i < 5; ++i) {
        QTemporaryDir dir;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer t;
        t.start();
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                {QStringLiteral("--demo"), QStringLiteral("--state-dir"), dir.path(), QStringLiteral("--proxy-listen"),
                 QStringLiteral("127.0.0.1:0"), QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:0")});
        QByteArray out;
        while (!out.contains("Dashboard open.") && t.elapsed() < 20000 && p.state() != QProcess::NotRunning) {
            p.waitForReadyRead(20);
            out += p.readAll();
        }
        runs.push_back(double(t.nsecsElapsed()) / 1e6);
        if (!out.contains("Dashboard open."))
            std::fprintf(stderr, "no window: %s\n", out.constData());
        p.terminate();
        p.waitForFinished(10000);
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
}
} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("DISPLAY")) {
        std::fprintf(stderr, "bench_gui needs a display: run it under xvfb-run -a\n");
        return 1;
    }
    QApplication app(argc, argv);
    const double startup = startupMs();
    std::printf("bench: startup_to_window_ms %.0f ms\n", startup);
    std::printf("bench: startup_ratio_vs_target %.3f ratio\n", startup / 1000.0);
    std::fflush(stdout);

    if (NginxProcess::binary().isEmpty() || QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::fprintf(stderr, "bench_gui needs nginx and wrk (apt-get install nginx wrk)\n");
        return 1;
    }
    {
        NginxProcess upstream(QStringLiteral("    location / { return 200 \"hello from the upstream\\n\"; }\n"));
        const QString config = QStringLiteral("circuit_breakers:\n  services:\n    bench:\n      upstream: "
                                              "http://127.0.0.1:%1/\n      route: /\n")
                                   .arg(upstream.port());
        Breakerboard headless(config);
        Breakerboard windowed(config, true);
        wrk(headless.port);
        wrk(windowed.port);
        std::vector<WrkResult> headlessRuns, windowedRuns;
        for (int i = 0; i < 3; ++i) {
            headlessRuns.push_back(wrk(headless.port));
            windowedRuns.push_back(wrk(windowed.port));
        }
        const double a = median(headlessRuns).rps, b = median(windowedRuns).rps;
        std::printf("bench: proxy_rps_headless %.0f req/s\n", a);
        std::printf("bench: proxy_rps_with_gui %.0f req/s\n", b);
        std::printf("bench: proxy_rps_with_gui_ratio %.3f ratio\n", b / a);
        std::fflush(stdout);
    }
    inProcessFigures();
    return 0;
}
