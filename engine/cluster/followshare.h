// `breakers: follow`: what one instance's breaker decides, every instance
// does. An OPEN decided here by the breaker's own rules is written with its
// cause and wait (once `quorum` instances opened on their own, when one is
// set) and every instance opens for the same remaining wait. In HALF_OPEN
// the fleet runs one set of trials: breakers hold their trials until this
// instance wins the breaker's trial claim in Redis; the instance whose
// trials close the breaker closes it everywhere, one whose trials fail opens
// it everywhere again. While Redis is away nothing is held: each instance
// decides alone.
#pragma once

#include "sharedrecord.h"

#include "core/engine.h"
#include "shared/redisconnection.h"

#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <set>

namespace bb::cluster {

class FollowShare {
public:
    struct Wiring {
        std::function<Version()> nextVersion;
        std::function<void(const QString &line)> say;
        std::function<const std::string &()> instance;
    };
    FollowShare(shared::RedisConnection &redis, const QByteArray &prefix, const QByteArray &channel, Engine &engine,
                std::optional<std::uint32_t> quorum, Wiring wiring);
    ~FollowShare();

    // The hash of the breakers' last shared decisions, read at each resync.
    const QByteArray &decisions() const { return m_decisions; }
    // Trials are held while Redis is there to share them.
    void setLinked(bool linked);
    // A transition here: the breaker's own decisions are shared.
    void transitioned(const TransitionEvent &event);
    // A decision of another instance.
    void take(const BreakerRecord &record);
    // Claims the trials of breakers that wait for them.
    void claimTrials(const EngineSnapshot &snapshot);

    // How long a claim on a breaker's trials lasts when its holder goes silent.
    static constexpr std::chrono::seconds kClaimFor{30};

private:
    void decided(const BreakerRecord &record);
    QByteArray votesKey(const std::string &breaker) const { return m_prefix + "votes:" + QByteArray::fromStdString(breaker); }
    QByteArray trialsKey(const std::string &breaker) const { return m_prefix + "trials:" + QByteArray::fromStdString(breaker); }

    shared::RedisConnection &m_redis;
    QByteArray m_prefix;
    QByteArray m_channel;
    QByteArray m_decisions;
    Engine &m_engine;
    std::uint32_t m_quorum;
    Wiring m_wiring;
    bool m_linked = false;
    std::map<std::string, Version> m_seen;
    std::set<std::string> m_claiming;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace bb::cluster
