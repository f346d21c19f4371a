#include "followshare.h"

#include <QDateTime>

namespace bb::cluster {

namespace {
// Counts the instances that opened the breaker on their own and whose wait
// has not ended; once there are as many as the quorum, writes and announces
// the decision. The claim on the trials goes: the next HALF_OPEN is new.
const QByteArray kOpenScript = R"lua(
redis.call('DEL', KEYS[4])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[2]) - tonumber(ARGV[3]), 1) + 1000)
local votes = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 2, #votes, 2 do
  if tonumber(votes[i]) > tonumber(ARGV[3]) then n = n + 1 end
end
if n < tonumber(ARGV[4]) then return n end
redis.call('HSET', KEYS[2], ARGV[5], ARGV[6])
redis.call('PUBLISH', KEYS[3], ARGV[6])
return n
)lua";

// The trials closed the breaker: every instance closes it, the votes and the claim go.
const QByteArray kCloseScript = R"lua(
redis.call('DEL', KEYS[1], KEYS[4])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PUBLISH', KEYS[3], ARGV[2])
return 1
)lua";

std::int64_t wallNow() { return QDateTime::currentMSecsSinceEpoch(); }

// Opened by its own rules here, not by an operator, a group or another instance.
bool ownOpen(const TransitionEvent &e)
{
    switch (e.cause.kind) {
    case CauseKind::FailureRate:
    case CauseKind::SlowCallRate:
    case CauseKind::ConsecutiveFailures:
    case CauseKind::TrialFailure:
    case CauseKind::TrialSlow: return e.to == BreakerState::Open;
    default: return false;
    }
}
} // namespace

FollowShare::FollowShare(shared::RedisConnection &redis, const QByteArray &prefix, const QByteArray &channel,
                         Engine &engine, std::optional<std::uint32_t> quorum, Wiring wiring)
    : m_redis(redis), m_prefix(prefix), m_channel(channel), m_decisions(prefix + "breakers"), m_engine(engine),
      m_quorum(quorum.value_or(1)), m_wiring(std::move(wiring))
{
}

FollowShare::~FollowShare() { *m_alive = false; }

void FollowShare::setLinked(bool linked)
{
    if (linked == m_linked)
        return;
    m_linked = linked;
    for (const auto &breaker : m_engine.breakers())
        breaker->holdTrials(linked);
}

void FollowShare::transitioned(const TransitionEvent &e)
{
    if (e.isGroup)
        return;
    const bool closedByTrials = e.to == BreakerState::Closed && e.cause.kind == CauseKind::TrialSuccesses;
    if (!ownOpen(e) && !closedByTrials)
        return;
    const auto breaker = m_engine.breaker(e.subject);
    if (!breaker)
        return;
    BreakerRecord r{e.subject, !closedByTrials, e.cause.toString(), wallNow(), 0, m_wiring.nextVersion()};
    if (r.open) {
        const auto status = breaker->status(m_engine.clock().now());
        if (status.state != BreakerState::Open || !status.nextTrialIn)
            return; // moved on already
        r.waitMs = std::chrono::duration_cast<std::chrono::milliseconds>(*status.nextTrialIn).count();
    }
    m_seen[r.name] = r.version;
    decided(r);
}

void FollowShare::decided(const BreakerRecord &r)
{
    const QByteArray json = encode(r);
    const QByteArray name = QByteArray::fromStdString(r.name);
    const QByteArrayList keys{votesKey(r.name), m_decisions, m_channel, trialsKey(r.name)};
    if (r.open)
        m_redis.command({"EVAL", kOpenScript, "4", keys[0], keys[1], keys[2], keys[3],
                         QByteArray::fromStdString(m_wiring.instance()), QByteArray::number(qlonglong(r.openedAtMs + r.waitMs)),
                         QByteArray::number(qlonglong(r.openedAtMs)), QByteArray::number(m_quorum), name, json},
                        [](const shared::RedisReply &) {});
    else
        m_redis.command({"EVAL", kCloseScript, "4", keys[0], keys[1], keys[2], keys[3], name, json},
                        [](const shared::RedisReply &) {});
}

void FollowShare::take(const BreakerRecord &r)
{
    const auto seen = m_seen.find(r.name);
    if (seen != m_seen.end() && !(seen->second < r.version))
        return;
    m_seen[r.name] = r.version;
    const auto breaker = m_engine.breaker(r.name);
    const auto cause = Cause::parse(r.cause);
    if (!breaker || !cause)
        return;
    const std::string &from = r.version.instance;
    if (!r.open) {
        if (breaker->followClose(from, *cause))
            m_wiring.say(QStringLiteral("Shared state: %1 closed as on %2").arg(QString::fromStdString(r.name), QString::fromStdString(from)));
        return;
    }
    const std::int64_t left = r.openedAtMs + r.waitMs - wallNow();
    if (left <= 0)
        return; // its wait is over: nothing to follow
    if (breaker->followOpen(from, *cause, std::chrono::milliseconds(left)))
        m_wiring.say(QStringLiteral("Shared state: %1 opened as on %2 for %3 ms (%4)")
                         .arg(QString::fromStdString(r.name), QString::fromStdString(from))
                         .arg(left)
                         .arg(QString::fromStdString(r.cause)));
}

void FollowShare::claimTrials(const EngineSnapshot &snapshot)
{
    if (!m_linked)
        return;
    for (const BreakerSnapshot &b : snapshot.breakers) {
        if (b.state != BreakerState::HalfOpen || !b.trialsHeld || m_claiming.count(b.name))
            continue;
        m_claiming.insert(b.name);
        const std::uint64_t generation = b.generation;
        const std::string name = b.name;
        m_redis.command({"SET", trialsKey(name), QByteArray::fromStdString(m_wiring.instance()), "NX", "PX",
                         QByteArray::number(qlonglong(std::chrono::milliseconds(kClaimFor).count()))},
                        [this, alive = m_alive, name, generation](const shared::RedisReply &reply) {
                            if (!*alive)
                                return;
                            m_claiming.erase(name);
                            if (reply.type != shared::RedisReply::Type::Status)
                                return; // another instance runs them, or Redis did not answer
                            const auto breaker = m_engine.breaker(name);
                            if (breaker && breaker->grantTrials(generation))
                                m_wiring.say(QStringLiteral("Shared state: the trials of %1 run on this instance")
                                                 .arg(QString::fromStdString(name)));
                        });
    }
}

} // namespace bb::cluster
