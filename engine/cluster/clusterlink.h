// This instance's part in a cluster that shares state through Redis
// (DESIGN.md, "Shared state through Redis"). It lives on the control thread
// beside the ControlService and never on the request path:
//  - what operators do here (forced states, policy edits, reloads' policy
//    changes, audit entries) is queued, coalesced, and written when Redis
//    takes it, each record with its version, the later action winning;
//  - what others did arrives on the cluster's channel and is applied here
//    through the ControlService, as an operator action from that instance;
//  - on every (re)connect and every few seconds it reads the whole shared
//    state again, so a lost message or an outage ends with all agreeing;
//  - while Redis is away the instance goes on alone and says so.
#pragma once

#include "cacheshare.h"
#include "followshare.h"
#include "sharedrecord.h"

#include "config/sharedstateflags.h"
#include "control/controlservice.h"
#include "control/sharedstatus.h"
#include "shared/redisconnection.h"
#include "shared/redissubscriber.h"

#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <deque>
#include <map>

namespace bb::cluster {

class ClusterLink : public QObject, public control::SharedStateSource {
    Q_OBJECT
public:
    ClusterLink(control::ControlService &control, const SharedStateSettings &settings, shared::RedisAddress address,
                QObject *parent = nullptr);
    ~ClusterLink() override;

    // Connects and applies what the cluster holds, waiting (in a local event
    // loop) until that is done or `deadline` passed. True when it was read;
    // false: the instance starts alone and catches up once Redis answers.
    bool start(std::chrono::milliseconds deadline);
    // The name known once the proxy listens (host:port with port 0 given).
    void setInstance(const std::string &name);
    // Shares the cache fallback's entries of these routes (before start()).
    void shareCache(std::shared_ptr<const proxy::RouteTable> routes, const Clock &clock);

    control::SharedStateStatus sharedState() const override { return m_status; }
    std::vector<persist::AuditEntry> clusterAudit(std::size_t limit) const override;

    static constexpr std::size_t kAuditKept = 1000;
    static constexpr std::size_t kAuditStreamLength = 10000;
    static constexpr std::size_t kOutboxLimit = 10000;
    static constexpr std::chrono::milliseconds kResyncEvery{5000};
    // A record whose version is further ahead of this clock is stale: never
    // applied, and overwritten by the next write.
    static constexpr std::chrono::milliseconds kMaxAhead{24 * 3600 * 1000};

signals:
    // One line for the log: the link coming or going, what was applied from
    // which instance, a record refused.
    void said(const QString &line);
    void statusChanged();

private:
    struct Keys {
        QByteArray forced, policy, audit, channel;
    };
    struct Outgoing {
        QByteArray hash;
        QByteArray field;
        QByteArray json;
        Version version;
    };
    // The newest record read or written for one field, as it went.
    using Known = std::map<std::string, Outgoing>;

    void linkChanged();
    void tick();
    void resync(bool withCache = false);
    void readHash(const QByteArray &key);
    void readDone(bool ok);
    void readAudit();
    void flush();
    void write(const QString &id, Outgoing out);
    void received(const QByteArray &channel, const QByteArray &payload);
    void take(const QByteArray &json, const QString &where);
    void takeForced(const ForcedRecord &r);
    void takePolicy(const PolicyRecord &r);
    void takeAudit(const AuditRecord &r);
    void takeBreaker(const BreakerRecord &r);
    void refuse(const QString &where, const QByteArray &json, const std::string &why);
    void localAudit(const persist::AuditEntry &entry);
    void publishForced(const std::string &target, OperatorAction action, const std::string &actor,
                       const std::string &reason);
    void localPolicy(const std::string &service, const control::Actor &actor, const std::string &reason);
    Version nextVersion();
    void setLink(control::SharedStateStatus::Link link, const QString &problem);
    // Keeps the record when it is newer than what this instance knows.
    bool learn(Known &known, const std::string &key, Outgoing record);
    void republish();

    control::ControlService &m_control;
    SharedStateSettings m_settings;
    shared::RedisAddress m_address;
    Keys m_keys;
    shared::RedisConnection m_redis;
    shared::RedisSubscriber m_subscriber;
    QTimer m_ticker;
    std::chrono::steady_clock::time_point m_lastResync{};
    bool m_wasActive = false; // the subscription was confirmed on the current connection
    bool m_synced = false;    // read everything since the link last came up
    int m_reading = 0;        // resync replies still to come
    bool m_readFailed = false;
    bool m_applying = false;  // changes made now come from the cluster: not published again

    Known m_forced;   // by field ("breaker/NAME", "group/NAME")
    Known m_policies; // by service
    std::map<QString, Outgoing> m_outbox;        // "forced FIELD", "policy NAME": the latest unsent
    std::map<QString, Outgoing> m_inFlight;
    std::deque<QByteArray> m_auditOutbox;
    bool m_auditInFlight = false;
    std::deque<persist::AuditEntry> m_clusterAudit;
    QSet<QByteArray> m_refused; // reported once each
    std::uint64_t m_seq = 0;
    control::SharedStateStatus m_status;
    std::unique_ptr<CacheShare> m_cache;
    std::unique_ptr<FollowShare> m_follow; // breakers: follow
    int m_ticks = 0;
};

} // namespace bb::cluster
