// The dashboard over a fleet, under Xvfb (ctest runs this through xvfb-run):
// - fleet_gui_cpu_pct: GUI-thread CPU of one dashboard attached to 10
//   headless instances of 200 services each, updates asked at 10 a second,
//   nothing changing (target ≤ 30 % of a core);
// - fleet_stream_kb_per_s: the event stream's bytes a second per instance
//   meanwhile, the largest of the ten (target ≤ 50 KB/s);
// - fleet_action_to_503_p99_ms (and _p50_ms): from a force-open sent from
//   the dashboard until the last of three proxies answers 503 (target p99
//   ≤ 100 ms), over 40 rounds.
// Each figure also as a ratio to its target (below 1 meets it).
#include "benchtesting.h"
#include "testupstream.h"

#include "remote/fleetcontrol.h"
#include "ui/dashboardlink.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>

#include <ctime>

using namespace bb;
using namespace bb::testing;

namespace {

// `breakerboard --headless` over a configuration, on free loopback ports.
struct Headless {
    QTemporaryDir dir;
    quint16 proxyPort = freePort();
    quint16 adminPort = freePort();
    QProcess process;

    bool start(const QString &config)
    {
        QFile f(dir.filePath("config.yaml"));
        f.open(QIODevice::WriteOnly);
        f.write(config.toUtf8());
        f.close();
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(QStringLiteral(BREAKERBOARD_BINARY),
                      {"--headless", "--config", f.fileName(), "--proxy-listen",
                       QStringLiteral("127.0.0.1:%1").arg(proxyPort), "--admin-listen",
                       QStringLiteral("127.0.0.1:%1").arg(adminPort), "--state-dir", dir.filePath("state")});
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (!out.contains("Breakerboard headless: proxy on") && t.elapsed() < 20000 &&
               process.state() != QProcess::NotRunning) {
            process.waitForReadyRead(100);
            out += process.readAllStandardOutput();
        }
        return out.contains("Breakerboard headless: proxy on");
    }
    ~Headless()
    {
        process.terminate();
        if (!process.waitForFinished(5000))
            process.kill();
    }
    remote::Instance instance(const QString &name) const
    {
        QString error;
        auto i = remote::instanceFromUrl(QStringLiteral("http://127.0.0.1:%1").arg(adminPort),
                                         dir.filePath("state/admin-token"), {}, &error);
        i->name = name;
        return *i;
    }
};

QString services(int n, const QString &upstream)
{
    QString config = QStringLiteral("circuit_breakers:\n  services:\n");
    for (int i = 0; i < n; ++i)
        config += QStringLiteral("    svc-%1:\n      upstream: %2/\n      route: /svc-%1\n").arg(i).arg(upstream);
    return config;
}

bool allLive(const remote::FleetControl &fleet)
{
    const auto o = fleet.merged();
    return std::all_of(o->fleet->instances.begin(), o->fleet->instances.end(),
                       [](const control::InstanceView &i) { return i.live(); });
}

void print(const char *name, double value, const char *unit) { std::printf("bench: %s %.3f %s\n", name, value, unit); }

void tenInstancesOfTwoHundred()
{
    std::vector<std::unique_ptr<Headless>> instances;
    for (int i = 0; i < 10; ++i) {
        instances.push_back(std::make_unique<Headless>());
        if (!instances.back()->start(services(200, QStringLiteral("http://127.0.0.1:9"))))
            qFatal("instance %d did not start", i);
    }
    remote::FleetControl fleet;
    for (std::size_t i = 0; i < instances.size(); ++i)
        fleet.add(instances[i]->instance(QStringLiteral("i%1").arg(i)), 10.0);
    ui::DashboardLink link(fleet);
    ui::MainWindow window(link, nullptr);
    window.resize(1600, 1000);
    window.show();
    if (!QTest::qWaitFor([&] { return allLive(fleet); }, 30000))
        qFatal("the fleet did not connect");
    window.selectServices({QStringLiteral("svc-7")});
    QTest::qWait(3000);

    std::vector<quint64> bytes0;
    for (std::size_t i = 0; i < fleet.size(); ++i)
        bytes0.push_back(fleet.member(i).streamBytes());
    const double cpu0 = threadCpuSeconds();
    QElapsedTimer wall;
    wall.start();
    QTest::qWait(15000);
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const double cpuPct = 100.0 * (threadCpuSeconds() - cpu0) / seconds;
    double worstKbPerS = 0;
    for (std::size_t i = 0; i < fleet.size(); ++i)
        worstKbPerS = std::max(worstKbPerS, double(fleet.member(i).streamBytes() - bytes0[i]) / 1024.0 / seconds);
    if (!allLive(fleet))
        qFatal("an instance was lost during the measurement");
    print("fleet_gui_cpu_pct", cpuPct, "%");
    print("fleet_gui_cpu_ratio_to_target", cpuPct / 30.0, "x");
    print("fleet_stream_kb_per_s", worstKbPerS, "KB/s");
    print("fleet_stream_ratio_to_target", worstKbPerS / 50.0, "x");
}

int statusOf(quint16 port)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, port);
    if (!s.waitForConnected(1000))
        return 0;
    s.write("GET /svc-0/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QByteArray got;
    while (got.size() < 12 && s.waitForReadyRead(1000))
        got += s.readAll();
    return got.mid(9, 3).toInt();
}

void actionUntil503()
{
    TestUpstream up;
    std::vector<std::unique_ptr<Headless>> instances;
    for (int i = 0; i < 3; ++i) {
        instances.push_back(std::make_unique<Headless>());
        if (!instances.back()->start(services(1, up.url())))
            qFatal("instance %d did not start", i);
    }
    remote::FleetControl fleet;
    for (std::size_t i = 0; i < instances.size(); ++i)
        fleet.add(instances[i]->instance(QStringLiteral("i%1").arg(i)));
    ui::DashboardLink link(fleet);
    if (!QTest::qWaitFor([&] { return allLive(fleet); }, 30000))
        qFatal("the fleet did not connect");
    const auto everyProxy = [&](int status) {
        return std::all_of(instances.begin(), instances.end(),
                           [status](const auto &i) { return statusOf(i->proxyPort) == status; });
    };
    std::vector<double> ms;
    for (int round = 0; round < 40; ++round) {
        QElapsedTimer t;
        t.start();
        link.changeState(control::TargetKind::Breaker, "svc-0", OperatorAction::ForceOpen, "bench", std::nullopt);
        // The last proxy: each one asked until it answers 503, in order.
        for (const auto &i : instances)
            if (!QTest::qWaitFor([&] { return statusOf(i->proxyPort) == 503; }, 5000))
                qFatal("no 503");
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        link.changeState(control::TargetKind::Breaker, "svc-0", OperatorAction::Reset, "bench", std::nullopt);
        if (!QTest::qWaitFor([&] { return everyProxy(200); }, 5000))
            qFatal("no 200 after the reset");
    }
    const double p50 = percentile(ms, 0.5);
    const double p99 = percentile(ms, 0.99);
    print("fleet_action_to_503_p50_ms", p50, "ms");
    print("fleet_action_to_503_p99_ms", p99, "ms");
    print("fleet_action_to_503_ratio_to_target", p99 / 100.0, "x");
}
} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    tenInstancesOfTwoHundred();
    actionUntil503();
    return 0;
}
