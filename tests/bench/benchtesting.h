// Shared by the benchmarks: the breakerboard binary started with a
// configuration (headless, or with its window when there is a display), its
// proxy and admin API on free loopback ports; wrk as the client.
#pragma once

#include "freeport.h"
#include "nginxprocess.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <utility>
#include <vector>

namespace bb::testing {

// CPU time the calling thread has used.
inline double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

inline constexpr int kConnections = 64;
inline constexpr int kSeconds = 5;

struct WrkResult {
    double rps = 0;
    double p99ms = 0;
    long long errors = 0; // answers other than 2xx and 3xx, and socket errors
};

inline double toMs(const QString &value, const QString &unit)
{
    const double v = value.toDouble();
    if (unit == QLatin1String("us"))
        return v / 1000.0;
    if (unit == QLatin1String("s"))
        return v * 1000.0;
    return v;
}

// How hard wrk pushes: keep-alive connections and seconds; https: over TLS
// (wrk does not check the certificate).
struct WrkLoad {
    int connections = kConnections;
    int seconds = kSeconds;
    bool https = false;
    bool errorsExpected = false; // the answers measured are 503s
};

inline WrkResult wrk(quint16 port, const QString &path = QStringLiteral("/"), const WrkLoad &load = {})
{
    QProcess p;
    p.start(QStringLiteral("wrk"), {QStringLiteral("-t2"), QStringLiteral("-c%1").arg(load.connections),
                                    QStringLiteral("-d%1s").arg(load.seconds), QStringLiteral("--latency"),
                                    QStringLiteral("%1://127.0.0.1:%2%3")
                                        .arg(load.https ? QStringLiteral("https") : QStringLiteral("http"))
                                        .arg(port)
                                        .arg(path)});
    p.waitForFinished(60000);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    WrkResult r;
    const auto rps = QRegularExpression(QStringLiteral("Requests/sec:\\s+([0-9.]+)")).match(out);
    const auto p99 = QRegularExpression(QStringLiteral("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)")).match(out);
    r.rps = rps.captured(1).toDouble();
    r.p99ms = toMs(p99.captured(1), p99.captured(2));
    const auto non2xx = QRegularExpression(QStringLiteral("Non-2xx or 3xx responses: (\\d+)")).match(out);
    const auto socketErrors = QRegularExpression(QStringLiteral("Socket errors: connect (\\d+), read (\\d+), "
                                                                "write (\\d+), timeout (\\d+)"))
                                  .match(out);
    r.errors = non2xx.captured(1).toLongLong();
    for (int i = 1; i <= 4; ++i)
        r.errors += socketErrors.captured(i).toLongLong();
    // A figure made of errors is no figure: say so where it is read.
    if (r.rps == 0 || (r.errors > 0 && !load.errorsExpected))
        std::fprintf(stderr, "wrk to port %u (%lld errors) said:\n%s\n", unsigned(port), r.errors, qPrintable(out));
    return r;
}

inline WrkResult median(std::vector<WrkResult> runs)
{
    auto mid = [&runs](auto field) {
        std::vector<double> v;
        for (const auto &r : runs)
            v.push_back(r.*field);
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    long long errors = 0;
    for (const auto &r : runs)
        errors += r.errors;
    return {mid(&WrkResult::rps), mid(&WrkResult::p99ms), errors};
}

// Two proxies take turns under the same load, A B B A …, so that neither
// goes first every time: single runs move by ±10 % on two shared cores.
// One warm-up run each, then the medians of rounds runs each.
inline std::pair<WrkResult, WrkResult> alternatingMedians(quint16 a, quint16 b, int rounds, const WrkLoad &load = {})
{
    const QString path = QStringLiteral("/");
    wrk(a, path, load);
    wrk(b, path, load);
    std::vector<WrkResult> runsA, runsB;
    for (int round = 0; round < rounds; ++round) {
        if (round % 2 == 0) {
            runsA.push_back(wrk(a, path, load));
            runsB.push_back(wrk(b, path, load));
        } else {
            runsB.push_back(wrk(b, path, load));
            runsA.push_back(wrk(a, path, load));
        }
    }
    return {median(runsA), median(runsB)};
}

// The value below which the fraction p of the samples lie (p99: 0.99).
inline double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size())))];
}

struct Breakerboard {
    QTemporaryDir dir;
    QProcess process;
    quint16 port = 0;
    quint16 adminPort = 0;

    explicit Breakerboard(const QString &config, bool window = false, const QStringList &extra = {})
    {
        QFile f(dir.path() + QStringLiteral("/bench.yaml"));
        f.open(QIODevice::WriteOnly);
        f.write(config.toUtf8());
        f.close();
        port = freePort();
        adminPort = freePort();
        QStringList args{QStringLiteral("--config"), f.fileName(),
                         QStringLiteral("--proxy-listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                         QStringLiteral("--admin-listen"), QStringLiteral("127.0.0.1:%1").arg(adminPort),
                         QStringLiteral("--state-dir"), dir.filePath(QStringLiteral("state"))};
        if (!window)
            args.prepend(QStringLiteral("--headless"));
        args += extra;
        // Its log of every action is not read: a full pipe would stop it.
        process.setStandardOutputFile(QProcess::nullDevice());
        process.start(QStringLiteral(BREAKERBOARD_BINARY), args);
        for (int i = 0; i < 300; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(50))
                return;
            QThread::msleep(10);
        }
        std::fprintf(stderr, "breakerboard did not start: %s\n", process.readAllStandardError().constData());
    }
    ~Breakerboard()
    {
        process.terminate();
        process.waitForFinished(10000);
    }
    QByteArray adminToken() const
    {
        QFile f(dir.filePath(QStringLiteral("state/admin-token")));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
    }
    double rssMb() const
    {
        QFile status(QStringLiteral("/proc/%1/status").arg(process.processId()));
        status.open(QIODevice::ReadOnly);
        const auto m = QRegularExpression(QStringLiteral("VmRSS:\\s+(\\d+) kB")).match(QString::fromLatin1(status.readAll()));
        return m.captured(1).toDouble() / 1024.0;
    }
};

} // namespace bb::testing
