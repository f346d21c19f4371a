// One instance of a cluster inside a test: an engine on the system clock
// with its control service and its link to a real redis-server.
#pragma once

#include "common/parsedconfig.h"
#include "common/sampleconfigs.h"
#include "redisprocess.h"

#include "cluster/clusterlink.h"
#include "core/systemclock.h"
#include "core/threadtimer.h"

#include <QTest>

#include <memory>

namespace bb::testing {

inline SharedStateSettings clusterSettings(quint16 port, const std::string &instance)
{
    SharedStateSettings s;
    s.config.redisUrl = "redis://127.0.0.1:" + std::to_string(port);
    s.config.redis = {"127.0.0.1", port, 0, false};
    s.config.cluster = "test";
    s.instance = instance;
    return s;
}

struct ClusterMember {
    ClusterMember(quint16 redisPort, const std::string &instance, const std::string &yaml = kTwoServices,
                  SharedBreakers breakers = SharedBreakers::Local, std::optional<std::uint32_t> quorum = std::nullopt)
        : config(parsed(yaml))
    {
        installConfiguration(config, engine);
        control = std::make_unique<control::ControlService>(engine, config);
        SharedStateSettings settings = clusterSettings(redisPort, instance);
        settings.config.breakers = breakers;
        settings.config.quorum = quorum;
        link = std::make_unique<cluster::ClusterLink>(*control, settings,
                                                      shared::RedisAddress{QStringLiteral("127.0.0.1"), redisPort, 0, {}});
        control->setSharedState(link.get());
    }
    ~ClusterMember()
    {
        link.reset();
        control.reset();
    }

    BreakerState state(const char *name) const { return engine.breaker(name)->state(); }
    BreakerState groupState(const char *name) const { return engine.group(name)->state(); }
    control::SharedStateStatus::Link linkState() const { return link->sharedState().link; }
    control::CommandResult force(const char *name, OperatorAction action, const char *actor, const char *reason,
                                 std::optional<Duration> expiresIn = std::nullopt, bool group = false)
    {
        return control->changeState(group ? control::TargetKind::Group : control::TargetKind::Breaker, name,
                                    {action, {}, reason, expiresIn}, {actor, "test"});
    }
    Cause cause(const char *name) { return engine.breaker(name)->status(clock.now()).cause; }

    SystemClock clock;
    ThreadTimer timers{clock};
    Engine engine{clock, timers};
    Configuration config;
    std::unique_ptr<control::ControlService> control;
    std::unique_ptr<cluster::ClusterLink> link;
};

// For init(): a fresh redis-server for each test function; without
// redis-server on PATH the function is skipped.
inline void startRedis(std::unique_ptr<RedisProcess> &redis)
{
    SKIP_WITHOUT_REDIS();
    redis = std::make_unique<RedisProcess>();
    QVERIFY2(redis->started(), qPrintable(redis->error()));
}

// n instances i1, i2, ..., each started (what the cluster holds applied).
inline std::vector<std::unique_ptr<ClusterMember>> startMembers(quint16 redisPort, int n,
                                                                const std::string &yaml = kTwoServices,
                                                                SharedBreakers breakers = SharedBreakers::Local,
                                                                std::optional<std::uint32_t> quorum = std::nullopt)
{
    std::vector<std::unique_ptr<ClusterMember>> out;
    for (int i = 0; i < n; ++i) {
        out.push_back(std::make_unique<ClusterMember>(redisPort, "i" + std::to_string(i + 1), yaml, breakers, quorum));
        [&] { QVERIFY(out.back()->link->start(std::chrono::seconds(5))); }();
    }
    return out;
}

} // namespace bb::testing

namespace bb {
inline char *toString(BreakerState s) { return qstrdup(std::string(nameOf(s)).c_str()); }
} // namespace bb
