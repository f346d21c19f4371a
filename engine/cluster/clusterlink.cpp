#include "clusterlink.h"

#include "control/apijson.h"
#include "persist/forcedstates.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonDocument>

namespace bb::cluster {

using persist::forcingAction;

namespace {
// Writes a record unless the hash holds a newer one, and publishes it when
// written: one step, so that two instances writing at once end alike. A held
// record dated after ARGV[3] (a day ahead of the writer's clock) is stale.
const QByteArray kWriteScript = R"lua(
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local ok, old = pcall(cjson.decode, cur)
  local new = cjson.decode(ARGV[2]).version
  if ok and type(old) == 'table' and type(old.version) == 'table' then
    local a = old.version
    if type(a.at_ms) == 'number' and type(a.seq) == 'number' and type(a.instance) == 'string' then
      local stale = a.at_ms > tonumber(ARGV[3])
      if not stale and (a.at_ms > new.at_ms or (a.at_ms == new.at_ms and (a.seq > new.seq or
         (a.seq == new.seq and a.instance >= new.instance)))) then
        return 0
      end
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[2])
return 1
)lua";

const QByteArray kAuditScript = R"lua(
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'record', ARGV[1])
redis.call('PUBLISH', KEYS[2], ARGV[1])
return 1
)lua";

std::int64_t wallNow() { return QDateTime::currentMSecsSinceEpoch(); }

QByteArray bytes(const std::string &s) { return QByteArray::fromStdString(s); }
QString qstr(const std::string &s) { return QString::fromStdString(s); }

// What this instance has for a forced record's target now.
struct LocalTarget {
    bool exists = false;
    BreakerState state = BreakerState::Closed;
    Cause cause;
    std::optional<std::int64_t> expiresMs;
};

// Read from the engine itself: the control service's snapshot may be 100 ms old.
LocalTarget localTarget(const Engine &engine, bool isGroup, const std::string &name)
{
    const TimePoint now = engine.clock().now();
    const auto read = [&engine, now](const auto &s) {
        LocalTarget t{true, s.state, s.lastCause, std::nullopt};
        if (s.expiresIn)
            t.expiresMs = engine.clock().wallMs(now + *s.expiresIn);
        return t;
    };
    if (isGroup) {
        const auto g = engine.group(name);
        return g ? read(g->snapshot(now)) : LocalTarget{};
    }
    const auto b = engine.breaker(name);
    return b ? read(b->snapshot(now)) : LocalTarget{};
}

// The forced state is there already, as the record says (expiries a second apart are alike).
bool alreadyForced(const LocalTarget &t, const ForcedRecord &r)
{
    if (forcingAction(t.state) != r.action || t.cause.actor != r.actor || t.cause.reason != r.reason)
        return false;
    if (t.expiresMs.has_value() != r.expiresAtMs.has_value())
        return false;
    return !t.expiresMs || std::llabs(*t.expiresMs - *r.expiresAtMs) < 1000;
}
} // namespace

ClusterLink::ClusterLink(control::ControlService &control, const SharedStateSettings &settings,
                         shared::RedisAddress address, QObject *parent)
    : QObject(parent), m_control(control), m_settings(settings), m_address(std::move(address)), m_ticker(this)
{
    const QByteArray prefix = bytes(settings.config.cluster) + ':';
    m_keys = {prefix + "forced", prefix + "policy", prefix + "audit", prefix + "changes"};
    m_status.cluster = settings.config.cluster;
    m_status.redis = settings.config.redis.display();
    m_status.instance = settings.instance;
    m_status.breakers = std::string(nameOf(settings.config.breakers));
    m_status.sinceMs = wallNow();

    connect(&m_redis, &shared::RedisConnection::stateChanged, this, &ClusterLink::linkChanged);
    connect(&m_subscriber, &shared::RedisSubscriber::stateChanged, this, &ClusterLink::linkChanged);
    connect(&m_subscriber, &shared::RedisSubscriber::message, this, &ClusterLink::received);
    connect(&m_control, &control::ControlService::audited, this, &ClusterLink::localAudit);
    connect(&m_control, &control::ControlService::policyChanged, this, &ClusterLink::localPolicy);
    connect(&m_ticker, &QTimer::timeout, this, &ClusterLink::tick);
    if (settings.config.breakers == SharedBreakers::Follow) {
        m_follow = std::make_unique<FollowShare>(
            m_redis, prefix, m_keys.channel, control.engine(), settings.config.quorum,
            FollowShare::Wiring{[this] { return nextVersion(); }, [this](const QString &line) { emit said(line); },
                                [this]() -> const std::string & { return m_status.instance; }});
        connect(&m_control, &control::ControlService::transitioned, this,
                [this](const TransitionEvent &e) { m_follow->transitioned(e); });
    }
}

ClusterLink::~ClusterLink() = default;

bool ClusterLink::start(std::chrono::milliseconds deadline)
{
    m_subscriber.subscribe(m_keys.channel);
    m_subscriber.connectTo(m_address);
    m_redis.connectTo(m_address);
    m_ticker.start(20);
    QEventLoop loop;
    QTimer::singleShot(deadline, &loop, &QEventLoop::quit);
    connect(this, &ClusterLink::statusChanged, &loop, [this, &loop] {
        if (m_synced)
            loop.quit();
    });
    if (!m_synced)
        loop.exec();
    return m_synced;
}

void ClusterLink::shareCache(std::shared_ptr<const proxy::RouteTable> routes, const Clock &clock)
{
    if (routes->cachedServices().empty())
        return;
    m_cache = std::make_unique<CacheShare>(m_redis, bytes(m_settings.config.cluster) + ':', std::move(routes), clock,
                                           [this](const QString &where, const QByteArray &json, const std::string &why) {
                                               refuse(where, json, why);
                                           });
    m_cache->setInstance(m_status.instance);
    m_subscriber.subscribe(m_cache->channel());
}

void ClusterLink::setInstance(const std::string &name)
{
    m_status.instance = name;
    if (m_cache)
        m_cache->setInstance(name);
    emit statusChanged();
}

std::vector<persist::AuditEntry> ClusterLink::clusterAudit(std::size_t limit) const
{
    const std::size_t n = std::min(limit, m_clusterAudit.size());
    return {m_clusterAudit.end() - std::ptrdiff_t(n), m_clusterAudit.end()};
}

void ClusterLink::setLink(control::SharedStateStatus::Link link, const QString &problem)
{
    using Link = control::SharedStateStatus::Link;
    if (m_status.link == link && m_status.problem == problem)
        return;
    const Link before = m_status.link;
    m_status.problem = problem;
    if (before != link) {
        // Said once per change of state; a new reason while down is only shown.
        m_status.link = link;
        m_status.sinceMs = wallNow();
        if (m_follow)
            m_follow->setLinked(link == Link::Connected);
        if (link == Link::Connected)
            emit said(QStringLiteral("Shared state: connected to redis %1 (cluster %2, instance %3)")
                          .arg(qstr(m_status.redis), qstr(m_status.cluster), qstr(m_status.instance)));
        else if (link == Link::Down)
            emit said(QStringLiteral("Shared state: redis %1 %2 (%3); going on with this instance's own state")
                          .arg(qstr(m_status.redis), before == Link::Connected ? "lost" : "not reachable", problem));
    }
    emit statusChanged();
}

void ClusterLink::linkChanged()
{
    const bool up = m_redis.state() == shared::RedisConnection::State::Connected &&
                    m_subscriber.state() == shared::RedisConnection::State::Connected;
    if (up)
        return; // connected once everything was read again (tick)
    m_synced = false;
    m_wasActive = false;
    const QString why = !m_redis.lastError().isEmpty() ? m_redis.lastError() : m_subscriber.lastError();
    const bool never = m_status.link == control::SharedStateStatus::Link::Connecting;
    if (!never || !why.isEmpty())
        setLink(control::SharedStateStatus::Link::Down, why.isEmpty() ? QStringLiteral("connection lost") : why);
}

void ClusterLink::tick()
{
    if (m_redis.state() != shared::RedisConnection::State::Connected)
        return;
    flush();
    const bool active = m_subscriber.isActive(m_keys.channel);
    const auto now = std::chrono::steady_clock::now();
    if (active && !m_wasActive) {
        republish();
        flush();
    }
    // Subscribed first, read next: nothing said in between is missed.
    if (active && (!m_wasActive || now - m_lastResync >= kResyncEvery))
        resync(!m_wasActive);
    m_wasActive = active;
    if (++m_ticks % 5 != 0)
        return;
    if (m_cache)
        m_cache->drain();
    if (m_follow)
        m_follow->claimTrials(*m_control.snapshot());
}

void ClusterLink::resync(bool withCache)
{
    if (m_reading > 0)
        return;
    m_lastResync = std::chrono::steady_clock::now();
    withCache = withCache && m_cache;
    m_reading = 3 + (m_follow ? 1 : 0) + (withCache ? 1 : 0);
    m_readFailed = false;
    readHash(m_keys.forced);
    readHash(m_keys.policy);
    if (m_follow)
        readHash(m_follow->decisions());
    readAudit();
    // The cache's entries too, after a (re)connect: a starting instance
    // can answer from them from its first request.
    if (withCache)
        m_cache->readAll([this](bool ok) { readDone(ok); });
}

void ClusterLink::readDone(bool ok)
{
    m_readFailed = m_readFailed || !ok;
    if (--m_reading > 0 || m_synced || m_readFailed)
        return;
    m_synced = true;
    setLink(control::SharedStateStatus::Link::Connected, {});
    emit statusChanged();
}

void ClusterLink::readHash(const QByteArray &key)
{
    m_redis.command({"HGETALL", key}, [this, key](const shared::RedisReply &reply) {
        if (reply.isError()) {
            readDone(false); // not read: the next resync tries again
            if (!reply.fromClient)
                emit said(QStringLiteral("Shared state: cannot read %1: %2").arg(QString::fromUtf8(key), QString::fromUtf8(reply.text)));
            return;
        }
        for (qsizetype i = 0; i + 1 < reply.elements.size(); i += 2)
            take(reply.elements[i + 1].text, QString::fromUtf8(key + ' ' + reply.elements[i].text));
        readDone(true);
    });
}

void ClusterLink::readAudit()
{
    m_redis.command({"XREVRANGE", m_keys.audit, "+", "-", "COUNT", QByteArray::number(qulonglong(kAuditKept))},
                    [this](const shared::RedisReply &reply) {
                        if (reply.isError()) {
                            readDone(false);
                            return;
                        }
                        std::deque<persist::AuditEntry> entries;
                        for (const auto &item : reply.elements) {
                            // [id, [field, value, ...]], newest first
                            if (item.elements.size() < 2 || item.elements[1].elements.size() < 2)
                                continue;
                            const Decoded d = decodeRecord(item.elements[1].elements[1].text);
                            if (d.record && std::holds_alternative<AuditRecord>(*d.record))
                                entries.push_front(std::get<AuditRecord>(*d.record).entry);
                        }
                        m_clusterAudit = std::move(entries);
                        readDone(true);
                    });
}

void ClusterLink::received(const QByteArray &channel, const QByteArray &payload)
{
    if (channel == m_keys.channel)
        take(payload, QString::fromUtf8(channel));
    else if (m_cache && channel == m_cache->channel())
        m_cache->received(payload);
}

void ClusterLink::take(const QByteArray &json, const QString &where)
{
    const Decoded d = decodeRecord(json);
    if (!d.record) {
        refuse(where, json, d.error);
        return;
    }
    const Version *version = std::visit(
        [](const auto &r) -> const Version * {
            if constexpr (requires { r.version; })
                return &r.version;
            else
                return nullptr;
        },
        *d.record);
    // Such a record would win over every action to come: a clock far ahead, or a forgery.
    if (version && version->atMs > wallNow() + kMaxAhead.count()) {
        refuse(where, json, "its version lies more than a day ahead of this instance's clock");
        return;
    }
    if (const auto *f = std::get_if<ForcedRecord>(&*d.record))
        takeForced(*f);
    else if (const auto *p = std::get_if<PolicyRecord>(&*d.record))
        takePolicy(*p);
    else if (const auto *b = std::get_if<BreakerRecord>(&*d.record))
        takeBreaker(*b);
    else
        takeAudit(std::get<AuditRecord>(*d.record));
}

void ClusterLink::refuse(const QString &where, const QByteArray &json, const std::string &why)
{
    if (m_refused.contains(where.toUtf8() + '\n' + json))
        return;
    m_refused.insert(where.toUtf8() + '\n' + json);
    ++m_status.refusedRecords;
    emit said(QStringLiteral("Shared state: ignored a record in %1: %2").arg(where, qstr(why)));
    emit statusChanged();
}

bool ClusterLink::learn(Known &known, const std::string &key, Outgoing record)
{
    const auto it = known.find(key);
    if (it != known.end() && !(it->second.version < record.version))
        return false;
    known[key] = std::move(record);
    return true;
}

void ClusterLink::republish()
{
    // Redis may have lost them (restarted empty) or missed them: the write
    // keeps whichever is newer, there or here.
    for (const Known *known : {&m_forced, &m_policies})
        for (const auto &[key, record] : *known)
            m_outbox.try_emplace(QString::fromUtf8(record.hash + ' ' + record.field), record);
}

void ClusterLink::takeForced(const ForcedRecord &r)
{
    const std::string field = r.field();
    if (!learn(m_forced, field, {m_keys.forced, bytes(field), encode(r), r.version}))
        return;
    const LocalTarget local = localTarget(m_control.engine(), r.isGroup, r.name);
    if (!local.exists)
        return; // a target of another configuration
    const std::int64_t now = wallNow();
    OperatorCommand command{r.action, r.actor, r.reason, std::nullopt};
    const bool sameForce = forcingAction(local.state) == r.action && local.cause.actor == r.actor;
    if (r.expiresAtMs && *r.expiresAtMs <= now && sameForce)
        return; // ends here by its own expiry, at the same moment
    if (r.forces(now)) {
        if (alreadyForced(local, r))
            return;
        if (r.expiresAtMs)
            command.expiresIn = std::chrono::milliseconds(*r.expiresAtMs - now);
    } else {
        // Not forced (any more): it matters only where something is still forced.
        if (!forcingAction(local.state))
            return;
        if (r.action != OperatorAction::HalfOpen)
            command.action = OperatorAction::Reset;
    }
    m_applying = true;
    const control::CommandResult result =
        m_control.changeState(r.isGroup ? control::TargetKind::Group : control::TargetKind::Breaker, r.name, command,
                              {r.actor, "cluster " + r.version.instance});
    m_applying = false;
    if (result.ok())
        emit said(QStringLiteral("Shared state: %1 %2 as on %3 (%4: %5)")
                      .arg(nameOf(command.action).data(), qstr(field), qstr(r.version.instance), qstr(r.actor),
                           qstr(r.reason)));
    else
        emit said(QStringLiteral("Shared state: cannot %1 %2 as on %3: %4")
                      .arg(nameOf(command.action).data(), qstr(field), qstr(r.version.instance),
                           result.errors.empty() ? QStringLiteral("refused") : qstr(result.errors.front().message)));
}

void ClusterLink::takePolicy(const PolicyRecord &r)
{
    if (!learn(m_policies, r.service, {m_keys.policy, bytes(r.service), encode(r), r.version}))
        return;
    const ServiceConfig *service = m_control.configuration().service(r.service);
    if (!service || control::policyJson(service->policy) == r.policy)
        return;
    m_applying = true;
    const control::CommandResult result =
        m_control.editPolicy(r.service, QJsonDocument(r.policy).toJson(QJsonDocument::Compact).toStdString(),
                             WindowEdit::Keep, r.reason, {r.actor, "cluster " + r.version.instance});
    m_applying = false;
    if (result.ok())
        emit said(QStringLiteral("Shared state: policy of %1 as on %2 (%3)")
                      .arg(qstr(r.service), qstr(r.version.instance), qstr(r.actor)));
    else
        refuse(QStringLiteral("policy %1").arg(qstr(r.service)), encode(r),
               "its policy does not pass this instance's checks: " +
                   (result.errors.empty() ? std::string("refused") : result.errors.front().message));
}

void ClusterLink::takeAudit(const AuditRecord &r)
{
    m_clusterAudit.push_back(r.entry);
    while (m_clusterAudit.size() > kAuditKept)
        m_clusterAudit.pop_front();
}

void ClusterLink::takeBreaker(const BreakerRecord &r)
{
    // With `local`, others' decisions are theirs alone: each dashboard shows them per instance.
    if (m_follow)
        m_follow->take(r);
}

Version ClusterLink::nextVersion() { return {wallNow(), ++m_seq, m_status.instance}; }

void ClusterLink::localAudit(const persist::AuditEntry &entry)
{
    if (m_applying)
        return;
    persist::AuditEntry shared = entry;
    shared.instance = m_status.instance;
    m_auditOutbox.push_back(encode(AuditRecord{shared}));
    if (m_auditOutbox.size() > kOutboxLimit)
        m_auditOutbox.pop_front();
    const auto action = parseOperatorAction(entry.action);
    const bool target = entry.target.rfind("breaker/", 0) == 0 || entry.target.rfind("group/", 0) == 0;
    // At once, before the control service samples and saves to disk.
    if (action && target)
        publishForced(entry.target, *action, entry.actor, entry.reason);
    m_status.unsent = m_outbox.size() + m_auditOutbox.size();
}

void ClusterLink::publishForced(const std::string &target, OperatorAction action, const std::string &actor,
                                const std::string &reason)
{
    ForcedRecord r;
    r.isGroup = target.rfind("group/", 0) == 0;
    r.name = target.substr(target.find('/') + 1);
    r.action = action;
    r.actor = actor;
    r.reason = reason;
    const LocalTarget local = localTarget(m_control.engine(), r.isGroup, r.name);
    if (forcingAction(local.state) == action)
        r.expiresAtMs = local.expiresMs;
    r.version = nextVersion();
    const Outgoing out{m_keys.forced, bytes(r.field()), encode(r), r.version};
    learn(m_forced, r.field(), out);
    m_outbox[QString::fromUtf8(out.hash + ' ' + out.field)] = out;
    flush();
}

void ClusterLink::localPolicy(const std::string &service, const control::Actor &actor, const std::string &reason)
{
    const ServiceConfig *s = m_control.configuration().service(service);
    if (m_applying || !s)
        return;
    const PolicyRecord r{service, control::policyJson(s->policy), actor.name, reason, nextVersion()};
    const Outgoing out{m_keys.policy, bytes(service), encode(r), r.version};
    learn(m_policies, service, out);
    m_outbox[QString::fromUtf8(out.hash + ' ' + out.field)] = out;
    flush();
}

void ClusterLink::flush()
{
    if (m_redis.state() != shared::RedisConnection::State::Connected)
        return;
    for (auto it = m_outbox.begin(); it != m_outbox.end();) {
        if (m_inFlight.count(it->first)) {
            ++it;
            continue;
        }
        write(it->first, it->second);
        it = m_outbox.erase(it);
    }
    if (!m_auditInFlight && !m_auditOutbox.empty()) {
        m_auditInFlight = true;
        const QByteArray json = m_auditOutbox.front();
        m_redis.command({"EVAL", kAuditScript, "2", m_keys.audit, m_keys.channel, json,
                         QByteArray::number(qulonglong(kAuditStreamLength))},
                        [this](const shared::RedisReply &reply) {
                            m_auditInFlight = false;
                            if (!reply.fromClient && !m_auditOutbox.empty())
                                m_auditOutbox.pop_front();
                            if (reply.isError() && !reply.fromClient)
                                emit said(QStringLiteral("Shared state: redis refused an audit entry: %1")
                                              .arg(QString::fromUtf8(reply.text)));
                            m_status.unsent = m_outbox.size() + m_auditOutbox.size() + m_inFlight.size();
                            flush();
                        });
    }
    m_status.unsent = m_outbox.size() + m_auditOutbox.size() + m_inFlight.size();
}

void ClusterLink::write(const QString &id, Outgoing out)
{
    m_inFlight[id] = out;
    const QByteArray latestTrusted = QByteArray::number(qlonglong(wallNow() + kMaxAhead.count()));
    m_redis.command({"EVAL", kWriteScript, "2", out.hash, m_keys.channel, out.field, out.json, latestTrusted},
                    [this, id](const shared::RedisReply &reply) {
                        Outgoing sent = m_inFlight[id];
                        m_inFlight.erase(id);
                        if (reply.fromClient) {
                            // Not taken: written again once Redis is back, unless a later change replaced it.
                            m_outbox.try_emplace(id, std::move(sent));
                            return;
                        }
                        if (reply.isError())
                            emit said(QStringLiteral("Shared state: redis refused %1: %2").arg(id, QString::fromUtf8(reply.text)));
                        m_status.unsent = m_outbox.size() + m_auditOutbox.size() + m_inFlight.size();
                    });
}

} // namespace bb::cluster
