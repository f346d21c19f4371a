// Proxy throughput and latency against nginx as a reverse proxy to the same
// upstream (nginx serving a small fixed answer), with wrk as the client: the
// same connections and duration for both, in one run. The same over TLS: to
// an HTTPS upstream (verified, keep-alive, sessions reused on both sides),
// and with the proxy terminating TLS against nginx doing so. Also requests/s
// answered 503 by an open breaker (against nginx answering a 503 of its own,
// the most any server answers wrk here), and the proxy's memory with 1,000 and
// 10,000 open keep-alive connections. HAProxy proxies to the same upstream
// in the same alternating runs as nginx; the plain comparison is also made
// at 8 connections, with recording on (against nginx writing an access log)
// and with a cache fallback (against nginx keeping every answer in its cache
// to serve when the upstream fails).
#include "benchtesting.h"
#include "common/testcerts.h"
#include "haproxyprocess.h"
#include "nginxprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <sys/resource.h>

using namespace bb::testing;

namespace {
constexpr int kRounds = 5; // alternating runs; medians are reported

QString serviceConfig(const QString &upstream, const QString &extra = {})
{
    return QStringLiteral("circuit_breakers:\n  services:\n    bench:\n      upstream: %1\n      route: /\n%2")
        .arg(upstream, extra);
}

const QString kNginxProxyPass =
    QStringLiteral("proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\";");

QString nginxBackend(quint16 upstreamPort)
{
    return QStringLiteral("  upstream backend { server 127.0.0.1:%1; keepalive 128; }\n").arg(upstreamPort);
}

void printComparison(const char *name, const std::pair<WrkResult, WrkResult> &ownAndNginx)
{
    const auto &[own, nginx] = ownAndNginx;
    std::printf("bench: nginx_%s_rps %.0f req/s\n", name, nginx.rps);
    std::printf("bench: proxy_%s_rps %.0f req/s\n", name, own.rps);
    std::printf("bench: proxy_%s_rps_ratio_vs_nginx %.3f ratio\n", name, own.rps / nginx.rps);
    std::printf("bench: proxy_%s_p99_ratio_vs_nginx %.3f ratio\n", name, own.p99ms / nginx.p99ms);
}

// Every request recorded (JSON Lines) against nginx logging every request;
// a cache fallback (each 2xx GET kept) against nginx's cache holding every
// answer, fetched from the upstream each time and served stale on failure.
bool recordingAndCacheFigures(quint16 upstreamPort)
{
    const QString upstreamUrl = QStringLiteral("http://127.0.0.1:%1/").arg(upstreamPort);
    QTemporaryDir files;
    // nginx's cache is files: on tmpfs, where it is fastest (on disk it
    // answered a tenth as many requests here); ours is in memory.
    QTemporaryDir memory(QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm/bench-proxy-XXXXXX")
                                                                    : QString());
    NginxProcess logging(QStringLiteral("    location / { access_log %1/access.log; %2 }\n")
                             .arg(files.path(), kNginxProxyPass),
                         nginxBackend(upstreamPort), 2);
    NginxProcess caching(QStringLiteral("    location / { proxy_cache fallback; proxy_cache_bypass 1; "
                                        "proxy_cache_valid 200 300s; proxy_cache_use_stale error timeout http_500 "
                                        "http_502 http_503 http_504; %1 }\n")
                             .arg(kNginxProxyPass),
                         nginxBackend(upstreamPort) +
                             QStringLiteral("  proxy_cache_path %1/cache keys_zone=fallback:10m use_temp_path=off;\n")
                                                .arg(memory.path()),
                         2);
    if (!logging.started() || !caching.started()) {
        std::fprintf(stderr, "nginx did not start: %s %s\n", qPrintable(logging.error()), qPrintable(caching.error()));
        return false;
    }
    Breakerboard recording(serviceConfig(upstreamUrl), false,
                           {QStringLiteral("--record"), files.filePath(QStringLiteral("recording.jsonl"))});
    printComparison("recording", alternatingMedians(recording.port, logging.port(), kRounds));
    Breakerboard cacheFallback(serviceConfig(upstreamUrl, QStringLiteral("      fallback: {strategy: cache, ttl: 300000}\n")));
    printComparison("cache_fallback", alternatingMedians(cacheFallback.port, caching.port(), kRounds));
    return true;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (NginxProcess::binary().isEmpty() || HaproxyProcess::binary().isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::fprintf(stderr, "bench_proxy needs nginx, haproxy and wrk (apt-get install nginx haproxy wrk)\n");
        return 1;
    }
    // 10,000 connections held here, and as many in the proxy, which inherits the limit.
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &files);
    }
    NginxProcess upstream(QStringLiteral("    location / { return 200 \"hello from the upstream\\n\"; }\n"));
    NginxProcess nginxProxy(QStringLiteral("    location / { %1 }\n").arg(kNginxProxyPass), nginxBackend(upstream.port()), 2);
    HaproxyProcess haproxy(upstream.port(), 2);
    if (!upstream.started() || !nginxProxy.started() || !haproxy.started()) {
        std::fprintf(stderr, "nginx or haproxy did not start: %s %s %s\n", qPrintable(upstream.error()),
                     qPrintable(nginxProxy.error()), qPrintable(haproxy.error()));
        return 1;
    }
    const QString upstreamUrl = QStringLiteral("http://127.0.0.1:%1/").arg(upstream.port());
    Breakerboard proxy(QStringLiteral("proxy:\n  max_connections: 20000\n") + serviceConfig(upstreamUrl));

    wrk(nginxProxy.port()); // warm them up once
    wrk(haproxy.port());
    wrk(proxy.port);
    // The two cores are shared with wrk and nginx, and other load comes and
    // goes: alternate the three, several times, and compare medians.
    std::vector<WrkResult> nginxRuns, haproxyRuns, ownRuns;
    for (int i = 0; i < kRounds; ++i) {
        nginxRuns.push_back(wrk({nginxProxy.port(), nginxProxy.pid()}));
        ownRuns.push_back(wrk({proxy.port, proxy.process.processId()}));
        haproxyRuns.push_back(wrk({haproxy.port(), haproxy.pid()}));
    }
    const WrkResult viaNginx = median(nginxRuns);
    const WrkResult viaHaproxy = median(haproxyRuns);
    const WrkResult viaBreakerboard = median(ownRuns);
    std::printf("bench: nginx_proxy_rps %.0f req/s\n", viaNginx.rps);
    std::printf("bench: proxy_rps %.0f req/s\n", viaBreakerboard.rps);
    std::printf("bench: proxy_rps_ratio_vs_nginx %.3f ratio\n", viaBreakerboard.rps / viaNginx.rps);
    std::printf("bench: nginx_proxy_p99_ms %.3f ms\n", viaNginx.p99ms);
    std::printf("bench: proxy_p99_ms %.3f ms\n", viaBreakerboard.p99ms);
    std::printf("bench: proxy_p99_ratio_vs_nginx %.3f ratio\n", viaBreakerboard.p99ms / viaNginx.p99ms);
    // The CPU each used per request (all its threads or processes, user and
    // kernel): what it would answer with the cores to itself.
    std::printf("bench: nginx_proxy_cpu_us_per_request %.2f us\n", viaNginx.cpuUs);
    std::printf("bench: haproxy_proxy_cpu_us_per_request %.2f us\n", viaHaproxy.cpuUs);
    std::printf("bench: proxy_cpu_us_per_request %.2f us\n", viaBreakerboard.cpuUs);
    std::printf("bench: proxy_cpu_ratio_vs_nginx %.3f ratio\n", viaBreakerboard.cpuUs / viaNginx.cpuUs);
    std::printf("bench: haproxy_proxy_rps %.0f req/s\n", viaHaproxy.rps);
    std::printf("bench: proxy_rps_ratio_vs_haproxy %.3f ratio\n", viaBreakerboard.rps / viaHaproxy.rps);
    {
        WrkLoad few;
        few.connections = 8;
        const auto [own, other] = alternatingMedians(proxy.port, nginxProxy.port(), kRounds, few);
        std::printf("bench: nginx_proxy_rps_8conns %.0f req/s\n", other.rps);
        std::printf("bench: proxy_rps_8conns %.0f req/s\n", own.rps);
        std::printf("bench: proxy_rps_ratio_vs_nginx_8conns %.3f ratio\n", own.rps / other.rps);
        std::printf("bench: proxy_p99_ratio_vs_nginx_8conns %.3f ratio\n", own.p99ms / other.p99ms);
    }

    if (!recordingAndCacheFigures(upstream.port()))
        return 1;

    // TLS both ways, certificates made for this run.
    {
        TestCertsDir certs;
        if (!certs.certs.error.isEmpty()) {
            std::fprintf(stderr, "certificates: %s\n", qPrintable(certs.certs.error));
            return 1;
        }
        const QString serverTls = QStringLiteral("    ssl_certificate %1;\n    ssl_certificate_key %2;\n")
                                      .arg(certs.certs.serverCert, certs.certs.serverKey);
        NginxProcess httpsUpstream(serverTls + QStringLiteral("    location / { return 200 \"hello from the upstream\\n\"; }\n"),
                                   {}, 1, QStringLiteral(" ssl"));
        NginxProcess nginxToHttps(
            QStringLiteral("    location / { proxy_pass https://tlsbackend; proxy_http_version 1.1; "
                           "proxy_set_header Connection \"\"; proxy_ssl_verify on; proxy_ssl_trusted_certificate %1; "
                           "proxy_ssl_name localhost; proxy_ssl_session_reuse on; }\n")
                .arg(certs.certs.caCert),
            QStringLiteral("  upstream tlsbackend { server 127.0.0.1:%1; keepalive 128; }\n").arg(httpsUpstream.port()), 2);
        NginxProcess nginxTerminating(serverTls + QStringLiteral("    location / { %1 }\n").arg(kNginxProxyPass),
                                      nginxBackend(upstream.port()), 2, QStringLiteral(" ssl"));
        if (!httpsUpstream.started() || !nginxToHttps.started() || !nginxTerminating.started()) {
            std::fprintf(stderr, "nginx did not start: %s %s %s\n", qPrintable(httpsUpstream.error()),
                         qPrintable(nginxToHttps.error()), qPrintable(nginxTerminating.error()));
            return 1;
        }
        Breakerboard toHttps(serviceConfig(QStringLiteral("https://127.0.0.1:%1/").arg(httpsUpstream.port()),
                                           QStringLiteral("      tls:\n        ca_file: %1\n").arg(certs.certs.caCert)));
        Breakerboard terminating(serviceConfig(upstreamUrl), false,
                                 {QStringLiteral("--proxy-tls-cert"), certs.certs.serverCert,
                                  QStringLiteral("--proxy-tls-key"), certs.certs.serverKey});
        const auto [ownToHttps, nginxHttps] = alternatingMedians(toHttps.port, nginxToHttps.port(), kRounds);
        std::printf("bench: nginx_https_upstream_rps %.0f req/s\n", nginxHttps.rps);
        std::printf("bench: proxy_https_upstream_rps %.0f req/s\n", ownToHttps.rps);
        std::printf("bench: proxy_https_upstream_rps_ratio_vs_nginx %.3f ratio\n", ownToHttps.rps / nginxHttps.rps);
        WrkLoad overTls;
        overTls.https = true;
        const auto [ownTls, nginxTls] = alternatingMedians(terminating.port, nginxTerminating.port(), kRounds, overTls);
        std::printf("bench: nginx_tls_listener_rps %.0f req/s\n", nginxTls.rps);
        std::printf("bench: proxy_tls_listener_rps %.0f req/s\n", ownTls.rps);
        std::printf("bench: proxy_tls_listener_rps_ratio_vs_nginx %.3f ratio\n", ownTls.rps / nginxTls.rps);
    }

    // An open breaker: the upstream is a closed port, the first failure trips
    // it and the wait outlasts the run.
    {
        Breakerboard rejecting(serviceConfig(QStringLiteral("http://127.0.0.1:%1/").arg(freePort()),
                                             QStringLiteral("      volume_threshold: 1\n      recovery_timeout: 3600000\n")));
        QTcpSocket trip;
        trip.connectToHost(QHostAddress::LocalHost, rejecting.port);
        trip.waitForConnected(2000);
        trip.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        trip.waitForReadyRead(3000);
        // The most any server answers here: nginx (two workers) with a 503 of its own, no upstream.
        NginxProcess answering(QStringLiteral("    location / { return 503 \"rejected\\n\"; }\n"), {}, 2);
        WrkLoad rejected;
        rejected.errorsExpected = true;
        const auto [rejects, nginxAnswers] = alternatingMedians({rejecting.port, rejecting.process.processId()},
                                                                {answering.port(), answering.pid()}, 3, rejected);
        std::printf("bench: reject_rps %.0f req/s\n", rejects.rps);
        std::printf("bench: reject_rps_ratio_vs_proxied %.3f ratio\n", rejects.rps / viaBreakerboard.rps);
        // How many rejections the CPU of one proxied request pays for, in the proxy alone.
        std::printf("bench: reject_cpu_us_per_request %.2f us\n", rejects.cpuUs);
        std::printf("bench: nginx_return_503_cpu_us_per_request %.2f us\n", nginxAnswers.cpuUs);
        std::printf("bench: reject_cpu_ratio_vs_proxied %.3f ratio\n", viaBreakerboard.cpuUs / rejects.cpuUs);
        std::printf("bench: nginx_return_503_rps %.0f req/s\n", nginxAnswers.rps);
        std::printf("bench: reject_rps_ratio_vs_nginx_return_503 %.3f ratio\n", rejects.rps / nginxAnswers.rps);
    }

    // 1,000, then 10,000 keep-alive connections, each having made one request.
    std::vector<std::unique_ptr<QTcpSocket>> held;
    const auto hold = [&](std::size_t count) {
        while (held.size() < count) {
            auto s = std::make_unique<QTcpSocket>();
            s->connectToHost(QHostAddress::LocalHost, proxy.port);
            s->waitForConnected(2000);
            s->write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            s->waitForReadyRead(2000);
            s->readAll();
            held.push_back(std::move(s));
        }
        std::size_t open = 0;
        for (const auto &s : held)
            open += s->state() == QAbstractSocket::ConnectedState;
        return open;
    };
    const std::size_t open1000 = hold(1000);
    std::printf("bench: proxy_rss_mb_1000conns %.1f MB\n", proxy.rssMb());
    const std::size_t open10000 = hold(10000);
    std::printf("bench: proxy_rss_mb_10000conns %.1f MB\n", proxy.rssMb());
    if (open1000 != 1000 || open10000 != 10000)
        std::fprintf(stderr, "bench_proxy: only %zu and %zu of the connections stayed open\n", open1000, open10000);
    return 0;
}
