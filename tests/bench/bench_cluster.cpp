// The cluster through Redis: three headless instances A, B and C with
// --redis on one redis-server, nginx as their upstream.
// - cluster_force_to_503_p99_ms (and _p50_ms): a force-open sent to A's
//   admin API until B and C both answer 503 from their proxies, over 100
//   rounds; each round ends with a reset through A that B and C show too
//   (cluster_reset_to_200_*). Target p99 ≤ 100 ms, the design's bound.
// - cluster_rps_ratio_redis_vs_alone: A's proxy throughput (its cache
//   fallback shared with B and C) over the same configuration without
//   --redis, wrk with 32 connections, alternating runs, medians. Target
//   ≥ 0.97. Checked after: C answers from the cache A's traffic filled.
// The propagation also as a ratio to its target (below 1 meets it).
#include "benchtesting.h"
#include "httpclient.h"
#include "redisprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStandardPaths>

#include <memory>
#include <vector>

using namespace bb::testing;

namespace {
constexpr int kWarmUpRounds = 3;
constexpr int kRounds = 100;
constexpr int kRoundTimeoutMs = 5000;
constexpr int kThroughputRounds = 5;
constexpr WrkLoad kLoad{32, 4};
const QByteArray kForcedPath = "/forced/x";

// "forced", without a fallback, answers 503 when forced open; "cached", at
// the root where wrk asks, keeps its last good answers for the cluster.
QString clusterConfig(quint16 upstreamPort)
{
    return QStringLiteral("circuit_breakers:\n  services:\n"
                          "    forced:\n      upstream: http://127.0.0.1:%1/\n      route: /forced\n"
                          "    cached:\n      upstream: http://127.0.0.1:%1/\n      route: /\n"
                          "      fallback: {strategy: cache, ttl: 60000}\n")
        .arg(upstreamPort);
}

std::unique_ptr<Breakerboard> member(const QString &config, const RedisProcess &redis, const QString &name)
{
    return std::make_unique<Breakerboard>(config, false,
                                          QStringList{QStringLiteral("--redis"),
                                                      QStringLiteral("redis://127.0.0.1:%1").arg(redis.port()),
                                                      QStringLiteral("--instance"), name});
}

bool linkedToRedis(const Breakerboard &instance)
{
    HttpClient admin(instance.adminPort);
    const auto r = admin.get("/metrics");
    return r && r->body.contains("breakerboard_shared_state_connected 1");
}

// One proxy asked again and again on a keep-alive connection, a new one
// whenever the proxy closed the last.
class StatusProbe {
public:
    explicit StatusProbe(quint16 port) : m_port(port) {}
    std::optional<Response> get(const QByteArray &path)
    {
        if (!m_client || !m_client->connected())
            m_client = std::make_unique<HttpClient>(m_port);
        auto r = m_client->get(path);
        if (!r)
            m_client.reset();
        return r;
    }
    int status(const QByteArray &path)
    {
        const auto r = get(path);
        return r ? r->status : 0;
    }

private:
    quint16 m_port;
    std::unique_ptr<HttpClient> m_client;
};

// An instance's admin API changing breaker states; send() does not wait for
// the answer, so that a clock started before it runs from the request.
class StateSender {
public:
    explicit StateSender(const Breakerboard &instance)
        : m_client(instance.adminPort), m_auth("Authorization: Bearer " + instance.adminToken() + "\r\n")
    {
    }
    void send(const QByteArray &service, const QByteArray &state)
    {
        const QByteArray body = "{\"state\":\"" + state + "\",\"reason\":\"bench\"}";
        m_client.send("POST /api/v1/breakers/" + service + "/state HTTP/1.1\r\nHost: x\r\n" + m_auth +
                      "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    bool accepted()
    {
        const auto r = m_client.read();
        return r && r->status == 200;
    }
    bool change(const QByteArray &service, const QByteArray &state)
    {
        send(service, state);
        return accepted();
    }

private:
    HttpClient m_client;
    QByteArray m_auth;
};

// Milliseconds on clock until every probe has answered status for the
// forced service, each asked in turn as fast as they answer; -1 after the
// timeout.
double untilEvery(std::vector<StatusProbe> &probes, int status, const QElapsedTimer &clock)
{
    std::vector<bool> seen(probes.size(), false);
    std::size_t left = probes.size();
    while (left > 0) {
        if (clock.elapsed() > kRoundTimeoutMs)
            return -1;
        for (std::size_t i = 0; i < probes.size(); ++i) {
            if (!seen[i] && probes[i].status(kForcedPath) == status) {
                seen[i] = true;
                --left;
            }
        }
    }
    return double(clock.nsecsElapsed()) / 1e6;
}

struct Propagation {
    std::vector<double> toRejected; // force-open sent to A → B and C answer 503
    std::vector<double> toAdmitted; // reset sent to A → B and C answer 200
};

// Milliseconds from sending state for the forced service to a until every
// other answers status; -1, after saying so, when they did not.
double changeSeenBy(StateSender &a, std::vector<StatusProbe> &others, const QByteArray &state, int status)
{
    QElapsedTimer clock;
    clock.start();
    a.send("forced", state);
    const double ms = untilEvery(others, status, clock);
    if (ms < 0 || !a.accepted()) {
        std::fprintf(stderr, "%s through A did not reach every instance\n", state.constData());
        return -1;
    }
    return ms;
}

// Rounds of force-open and reset through a, seen by the others; false when
// one did not complete. out null: a warm-up.
bool propagate(StateSender &a, std::vector<StatusProbe> &others, int rounds, Propagation *out)
{
    for (int round = 0; round < rounds; ++round) {
        const double rejected = changeSeenBy(a, others, "forced_open", 503);
        const double admitted = rejected < 0 ? -1 : changeSeenBy(a, others, "closed", 200);
        if (admitted < 0)
            return false;
        if (out) {
            out->toRejected.push_back(rejected);
            out->toAdmitted.push_back(admitted);
        }
    }
    return true;
}

// C never proxied the root: with "cached" forced open it can answer it only
// from what A's traffic put into the shared cache.
bool cacheAnsweredByPeer(StateSender &a, StatusProbe &c)
{
    if (!a.change("cached", "forced_open"))
        return false;
    bool fromCache = false;
    QElapsedTimer clock;
    clock.start();
    while (!fromCache && clock.elapsed() < kRoundTimeoutMs) {
        const auto r = c.get("/");
        fromCache = r && r->status == 200 && !r->header("X-Fallback").isEmpty();
    }
    return a.change("cached", "closed") && fromCache;
}

void print(const char *name, double value, const char *unit) { std::printf("bench: %s %.3f %s\n", name, value, unit); }
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (RedisProcess::binary().isEmpty() || NginxProcess::binary().isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::fprintf(stderr, "bench_cluster needs redis-server, nginx and wrk (apt-get install redis-server nginx wrk)\n");
        return 1;
    }
    RedisProcess redis;
    NginxProcess upstream(QStringLiteral("    location / { return 200 \"hello from the upstream\\n\"; }\n"));
    if (!redis.started() || !upstream.started()) {
        std::fprintf(stderr, "redis-server or nginx did not start: %s %s\n", qPrintable(redis.error()),
                     qPrintable(upstream.error()));
        return 1;
    }
    const QString config = clusterConfig(upstream.port());
    const auto a = member(config, redis, QStringLiteral("A"));
    const auto b = member(config, redis, QStringLiteral("B"));
    const auto c = member(config, redis, QStringLiteral("C"));
    for (const Breakerboard *instance : {a.get(), b.get(), c.get()}) {
        if (!linkedToRedis(*instance)) {
            std::fprintf(stderr, "an instance is not linked to Redis\n");
            return 1;
        }
    }

    StateSender toA(*a);
    std::vector<StatusProbe> others;
    others.emplace_back(b->port);
    others.emplace_back(c->port);
    Propagation p;
    if (!propagate(toA, others, kWarmUpRounds, nullptr) || !propagate(toA, others, kRounds, &p))
        return 1;
    const double p99 = percentile(p.toRejected, 0.99);
    print("cluster_force_to_503_p50_ms", percentile(p.toRejected, 0.5), "ms");
    print("cluster_force_to_503_p99_ms", p99, "ms");
    print("cluster_force_to_503_p99_ratio_to_target", p99 / 100.0, "ratio");
    print("cluster_reset_to_200_p50_ms", percentile(p.toAdmitted, 0.5), "ms");
    print("cluster_reset_to_200_p99_ms", percentile(p.toAdmitted, 0.99), "ms");

    // B and C stay in the cluster, idle but taking A's cache entries.
    const Breakerboard alone(config);
    const auto [inCluster, byItself] = alternatingMedians(a->port, alone.port, kThroughputRounds, kLoad);
    std::printf("bench: cluster_rps_with_redis %.0f req/s\n", inCluster.rps);
    std::printf("bench: cluster_rps_alone %.0f req/s\n", byItself.rps);
    print("cluster_rps_ratio_redis_vs_alone", inCluster.rps / byItself.rps, "ratio");
    // A fresh admin connection: the first one has been idle for longer than
    // the API keeps connections.
    StateSender againToA(*a);
    StatusProbe probeC(c->port);
    if (!cacheAnsweredByPeer(againToA, probeC)) {
        std::fprintf(stderr, "C did not answer from the cache A's traffic filled: the sharing was not exercised\n");
        return 1;
    }
    return 0;
}
