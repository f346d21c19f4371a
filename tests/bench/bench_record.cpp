// Recording and replay: recording lines parsed per second, calls replayed
// per second through one configuration at full speed, eight configurations
// in one pass against one, the dashboard's seek back in a one-hour
// recording, and the proxy's requests per second lost while it records
// (with and without --record, alternating, same run).
#include "benchtesting.h"

#include "config/configloader.h"
#include "control/replayplayer.h"
#include "record/jsonline.h"
#include "record/recordingreader.h"
#include "record/replayset.h"

#include <QCoreApplication>
#include <QStandardPaths>

#include <chrono>
#include <fstream>
#include <random>

using namespace bb;
using namespace bb::record;
using namespace bb::testing;

namespace {
constexpr std::size_t kLines = 2'000'000;
constexpr int kRounds = 3;
constexpr int kOverheadRounds = 8;

double secondsOf(const std::function<void()> &work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Four services at 1,000 calls a second in all; "orders" fails for a minute
// in every ten, "search" is slow for a while: enough to trip and recover.
void writeRecording(const std::string &path)
{
    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> unit(0, 1);
    const char *services[] = {"orders", "search", "users", "stock"};
    std::string text = headerLine(RecordingHeader{});
    text.reserve(kLines * 200);
    for (std::size_t i = 0; i < kLines; ++i) {
        const double t = double(i);
        const int s = int(i % 4);
        const double minute = std::fmod(t / 60000.0, 10.0);
        const bool failing = s == 0 && minute >= 3 && minute < 4 && unit(random) < 0.7;
        const bool slow = s == 1 && minute >= 6 && minute < 7 && unit(random) < 0.8;
        RequestLine line;
        line.tMs = t;
        line.service = services[s];
        line.outcome = failing ? CallOutcome::Failure : CallOutcome::Success;
        line.latencyMs = slow ? 1500 + 100 * unit(random) : 5 + 20 * unit(random);
        line.method = "GET";
        line.path = "/orders/12345?expand=items";
        line.status = failing ? 502 : 200;
        line.upstream = "http://127.0.0.1:9000";
        line.bytes = 512;
        appendRequestLine(text, line);
    }
    std::ofstream(path, std::ios::binary) << text;
}

Configuration configWith(double threshold)
{
    const std::string yaml = "circuit_breakers:\n  default:\n    failure_threshold: " + std::to_string(threshold) +
                             "\n    recovery_timeout: 20000\n    monitoring_period: 10000\n    volume_threshold: 20\n"
                             "    slow_call: {duration: 1000, rate_threshold: 0.5}\n"
                             "  services:\n    orders: {}\n    search: {}\n    users: {}\n    stock: {}\n";
    ConfigResult r = parseConfiguration(yaml, "bench.yaml");
    if (!r.ok())
        qFatal("%s", r.issues.front().toString().c_str());
    return *r.config;
}

double replayTime(const std::shared_ptr<const Recording> &recording, int configs)
{
    std::vector<NamedConfiguration> named;
    for (int i = 0; i < configs; ++i) {
        std::string name = "c"; // appended: GCC 12 warns (-Wrestrict) wrongly on "c" + to_string
        name += std::to_string(i);
        named.push_back({name, configWith(0.3 + 0.05 * i)});
    }
    ReplaySet set(recording, std::move(named));
    return secondsOf([&] { set.advanceTo(set.endNs()); });
}

// The dashboard's worst seek in a one-hour recording at 1,000 calls a
// second (3.6 million calls): from the end back to a minute before it,
// which takes a fresh replay fast-forwarded 59 minutes. Milliseconds.
double seekBackOneHourMs()
{
    auto recording = std::make_shared<Recording>();
    recording->services = {"orders", "search", "users", "stock"};
    constexpr std::int64_t kMs = 1'000'000;
    std::mt19937_64 random(11);
    std::uniform_int_distribution<std::int64_t> latency(3 * kMs, 40 * kMs);
    for (std::int64_t i = 0; i < 3'600'000; ++i) {
        const auto s = std::uint32_t(i % 4);
        const bool failing = s == 0 && (i / 60'000) % 10 == 3 && i % 3 != 0;
        recording->calls.push_back({i * kMs, latency(random), s, failing ? CallOutcome::Failure : CallOutcome::Success});
    }
    control::ReplayPlayer player(std::move(recording), configWith(0.5));
    player.seek(player.status().endNs);
    double best = 1e9;
    for (int i = 0; i < kRounds; ++i) {
        best = std::min(best, secondsOf([&] { player.seek(59 * 60'000 * kMs); }));
        player.releasePrevious();
        player.seek(player.status().endNs);
    }
    return best * 1000;
}

double recordOverheadPct()
{
    NginxProcess upstream(QStringLiteral("    location / { return 200 \"hello from the upstream\\n\"; }\n"));
    if (!upstream.started())
        qFatal("nginx did not start: %s", qPrintable(upstream.error()));
    const QString config = QStringLiteral("circuit_breakers:\n  services:\n    bench:\n      upstream: "
                                          "http://127.0.0.1:%1/\n      route: /\n")
                               .arg(upstream.port());
    QTemporaryDir dir;
    // Both run side by side (the idle one costs nothing) and take turns
    // under wrk: single runs move by ±10 % on two shared cores.
    Breakerboard plainProxy(config);
    Breakerboard recordingProxy(config, false, {QStringLiteral("--record"), dir.filePath(QStringLiteral("r.jsonl"))});
    const auto [plain, recording] = alternatingMedians(plainProxy.port, recordingProxy.port, kOverheadRounds);
    const double without = plain.rps, with = recording.rps;
    std::printf("bench: proxy_rps_without_recording %.0f req/s\n", without);
    std::printf("bench: proxy_rps_while_recording %.0f req/s\n", with);
    return (1.0 - with / without) * 100.0;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("bench.jsonl")).toStdString();
    writeRecording(path);

    LoadResult loaded;
    double loadSeconds = 1e9;
    for (int i = 0; i < kRounds; ++i) {
        LoadResult attempt;
        loadSeconds = std::min(loadSeconds, secondsOf([&] { attempt = loadRecording(path); }));
        loaded = std::move(attempt);
    }
    if (!loaded.recording || loaded.recording->calls.size() != kLines)
        qFatal("the benchmark recording did not load");
    std::printf("bench: load_jsonl_lines_per_s %.0f lines/s\n", double(kLines) / loadSeconds);
    std::printf("bench: load_jsonl_ratio_to_target %.2f x\n", double(kLines) / loadSeconds / 2e6);

    const auto recording = std::make_shared<const Recording>(std::move(*loaded.recording));
    double one = 1e9, eight = 1e9;
    for (int i = 0; i < kRounds; ++i) {
        one = std::min(one, replayTime(recording, 1));
        eight = std::min(eight, replayTime(recording, 8));
    }
    std::printf("bench: replay_events_per_s %.0f calls/s\n", double(kLines) / one);
    std::printf("bench: replay_ratio_to_target %.2f x\n", double(kLines) / one / 10e6);
    std::printf("bench: whatif_8_configs_slowdown %.2f x\n", eight / one);
    const double seekMs = seekBackOneHourMs();
    std::printf("bench: seek_back_one_hour_ms %.0f ms\n", seekMs);
    std::printf("bench: seek_ratio_to_target %.2f x\n", seekMs / 1000.0);

    if (NginxProcess::binary().isEmpty() || QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::fprintf(stderr, "record_overhead_pct needs nginx and wrk (apt-get install nginx wrk)\n");
        return 1;
    }
    std::printf("bench: record_overhead_pct %.1f %%\n", recordOverheadPct());
    return 0;
}
