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

#include <unistd.h>

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
    long long requests = 0;
    double cpuUs = 0; // CPU the server used per request (user and kernel), when measured
};

// CPU time (user and kernel) a process and its children have used so far,
// in seconds: nginx's and HAProxy's workers are children of their master.
inline double processCpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // The fields after the name in parentheses: state is the first, utime the 12th and stime the 13th.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    double seconds = fields.size() > 12 ? double(fields[11].toLongLong() + fields[12].toLongLong()) / double(::sysconf(_SC_CLK_TCK)) : 0;
    QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (children.open(QIODevice::ReadOnly))
        for (const QByteArray &child : children.readAll().split(' '))
            if (!child.trimmed().isEmpty())
                seconds += processCpuSeconds(child.trimmed().toLongLong());
    return seconds;
}

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

// A server under wrk: its port, and the process whose CPU is counted per
// request (0: none).
struct WrkTarget {
    WrkTarget(quint16 p, qint64 id = 0) : port(p), pid(id) {}
    quint16 port;
    qint64 pid;
};

inline WrkResult wrk(const WrkTarget &target, const WrkLoad &load = {})
{
    const double cpuBefore = target.pid ? processCpuSeconds(target.pid) : 0;
    QProcess p;
    p.start(QStringLiteral("wrk"), {QStringLiteral("-t2"), QStringLiteral("-c%1").arg(load.connections),
                                    QStringLiteral("-d%1s").arg(load.seconds), QStringLiteral("--latency"),
                                    QStringLiteral("%1://127.0.0.1:%2/")
                                        .arg(load.https ? QStringLiteral("https") : QStringLiteral("http"))
                                        .arg(target.port)});
    p.waitForFinished(60000);
    const QString out = QString::fromUtf8(p.readAllStandardOutput());
    WrkResult r;
    const auto rps = QRegularExpression(QStringLiteral("Requests/sec:\\s+([0-9.]+)")).match(out);
    const auto p99 = QRegularExpression(QStringLiteral("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)")).match(out);
    r.rps = rps.captured(1).toDouble();
    r.requests = QRegularExpression(QStringLiteral("(\\d+) requests in")).match(out).captured(1).toLongLong();
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
        std::fprintf(stderr, "wrk to port %u (%lld errors) said:\n%s\n", unsigned(target.port), r.errors,
                     qPrintable(out));
    if (target.pid && r.requests > 0)
        r.cpuUs = (processCpuSeconds(target.pid) - cpuBefore) * 1e6 / double(r.requests);
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
    return {mid(&WrkResult::rps), mid(&WrkResult::p99ms), errors, 0, mid(&WrkResult::cpuUs)};
}

// Two proxies take turns under the same load, A B B A …, so that neither
// goes first every time: single runs move by ±10 % on two shared cores.
// One warm-up run each, then the medians of rounds runs each.
inline std::pair<WrkResult, WrkResult> alternatingMedians(const WrkTarget &a, const WrkTarget &b, int rounds,
                                                          const WrkLoad &load = {})
{
    wrk(a, load);
    wrk(b, load);
    std::vector<WrkResult> runsA, runsB;
    for (int round = 0; round < rounds; ++round) {
        if (round % 2 == 0) {
            runsA.push_back(wrk(a, load));
            runsB.push_back(wrk(b, load));
        } else {
            runsB.push_back(wrk(b, load));
            runsA.push_back(wrk(a, load));
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
