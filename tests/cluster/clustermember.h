// One instance of a cluster inside a test: an engine on the system clock
// with its control service and its link to a real redis-server.
#pragma once

#include "common/parsedconfig.h"
#include "common/sampleconfigs.h"

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
    ClusterMember(quint16 redisPort, const std::string &instance, const std::string &yaml = kTwoServices)
        : config(parsed(yaml))
    {
        installConfiguration(config, engine);
        control = std::make_unique<control::ControlService>(engine, config);
        link = std::make_unique<cluster::ClusterLink>(*control, clusterSettings(redisPort, instance),
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

} // namespace bb::testing
