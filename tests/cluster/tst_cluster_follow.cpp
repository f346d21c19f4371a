// `breakers: follow` over a real redis-server: a breaker that opens by its
// own rules on one instance opens on every one for the same remaining wait;
// the fleet runs one set of trials in HALF_OPEN; the instance whose trials
// close it closes it everywhere; with a quorum, instances follow only once
// enough opened on their own; with Redis away, each decides alone.
#include "clustermember.h"
#include "redisprocess.h"

using namespace bb;
using namespace bb::testing;
using Link = control::SharedStateStatus::Link;

namespace {
// Count windows of 4 calls, open at 50 %, a wait of 600 ms, 3 trials of which 2 must succeed.
const std::string kFast = "circuit_breakers:\n"
                          "  default:\n"
                          "    failure_threshold: 0.5\n"
                          "    recovery_timeout: 600\n"
                          "    window: {type: count, size: 4}\n"
                          "    volume_threshold: 4\n"
                          "    half_open: {permitted_calls: 3, success_threshold: 2}\n"
                          "    backoff: {jitter: 0}\n"
                          "  services:\n"
                          "    a: {}\n";

void fail(ClusterMember &m, int calls)
{
    const auto b = m.engine.breaker("a");
    for (int i = 0; i < calls; ++i) {
        const Permit p = b->tryAcquire();
        if (p.admitted())
            b->record(p, Outcome::Failure, std::chrono::milliseconds(1));
    }
}

// Asks `tries` times at once (the trial calls all under way), then lets
// every admitted call succeed; returns how many were admitted.
int admitAndSucceed(ClusterMember &m, int tries)
{
    const auto b = m.engine.breaker("a");
    std::vector<Permit> admitted;
    for (int i = 0; i < tries; ++i)
        if (const Permit p = b->tryAcquire(); p.admitted())
            admitted.push_back(p);
    for (const Permit &p : admitted)
        b->record(p, Outcome::Success, std::chrono::milliseconds(1));
    return int(admitted.size());
}
} // namespace

class TestClusterFollow : public QObject {
    Q_OBJECT

    std::unique_ptr<RedisProcess> m_redis;

    std::vector<std::unique_ptr<ClusterMember>> members(int n, std::optional<std::uint32_t> quorum = std::nullopt)
    {
        return startMembers(m_redis->port(), n, kFast, SharedBreakers::Follow, quorum);
    }

private slots:
    void init() { startRedis(m_redis); }
    void cleanup() { m_redis.reset(); }

    void oneOpensAllOpenAndOneSetOfTrialsClosesAll()
    {
        auto all = members(3);
        fail(*all[0], 4);
        QCOMPARE(all[0]->state("a"), BreakerState::Open);
        for (int i : {1, 2})
            QTRY_COMPARE(all[i]->state("a"), BreakerState::Open);
        const Cause followed = all[2]->cause("a");
        QCOMPARE(followed.kind, CauseKind::Shared);
        QCOMPARE(followed.actor, std::string("i1"));
        QVERIFY2(followed.reason.find("failure rate") != std::string::npos, followed.reason.c_str());
        // The same remaining wait: the next trials are due at about the same moment everywhere.
        const auto nextTrial = [](ClusterMember &m) { return *m.control->snapshot()->breaker("a")->wall.nextTrialMs; };
        for (auto &m : all)
            m->control->sample();
        QVERIFY(std::llabs(nextTrial(*all[0]) - nextTrial(*all[2])) < 150);

        // HALF_OPEN everywhere; one instance wins the trials, the fleet admits 3 in all.
        for (auto &m : all)
            QTRY_COMPARE_WITH_TIMEOUT(m->state("a"), BreakerState::HalfOpen, 3000);
        QTRY_VERIFY([&] {
            int granted = 0;
            for (auto &m : all) {
                m->control->sample();
                granted += m->control->snapshot()->breaker("a")->trialsHeld ? 0 : 1;
            }
            return granted == 1;
        }());
        int admitted = 0;
        ClusterMember *owner = nullptr;
        for (auto &m : all) {
            const int n = admitAndSucceed(*m, 10);
            admitted += n;
            if (n > 0)
                owner = m.get();
        }
        QCOMPARE(admitted, 3);
        QVERIFY(owner);
        QCOMPARE(owner->state("a"), BreakerState::Closed);
        for (auto &m : all)
            QTRY_COMPARE(m->state("a"), BreakerState::Closed);
    }

    void aQuorumWaitsForEnoughInstances()
    {
        auto all = members(3, 2);
        fail(*all[0], 4);
        QCOMPARE(all[0]->state("a"), BreakerState::Open);
        QTest::qWait(400); // the others stay closed: one is not a quorum
        QCOMPARE(all[1]->state("a"), BreakerState::Closed);
        QCOMPARE(all[2]->state("a"), BreakerState::Closed);
        fail(*all[1], 4);
        QTRY_COMPARE(all[2]->state("a"), BreakerState::Open);
        QCOMPARE(all[2]->cause("a").kind, CauseKind::Shared);
    }

    void withoutRedisEachDecidesAlone()
    {
        auto all = members(2);
        m_redis->kill();
        for (auto &m : all)
            QTRY_COMPARE(m->linkState(), Link::Down);
        fail(*all[0], 4);
        QCOMPARE(all[0]->state("a"), BreakerState::Open);
        QTRY_COMPARE_WITH_TIMEOUT(all[0]->state("a"), BreakerState::HalfOpen, 3000);
        // Nothing held: its own trials run at once.
        QCOMPARE(admitAndSucceed(*all[0], 10), 3);
        QCOMPARE(all[0]->state("a"), BreakerState::Closed);
        QCOMPARE(all[1]->state("a"), BreakerState::Closed);
    }
};

QTEST_MAIN(TestClusterFollow)
#include "tst_cluster_follow.moc"
