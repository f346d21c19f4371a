#include "seedservices.h"

namespace bb::sim {

namespace {
// circuit_breakers.default of the seed: failure_threshold 0.5,
// recovery_timeout 30000, monitoring_period 10000, expected_response_time
// 5000, volume_threshold 10; half-open trial limit 3.
BreakerPolicy seedDefault()
{
    BreakerPolicy p;
    p.windowType = WindowType::Time;
    p.windowSize = 10;
    p.minimumCalls = 10;
    p.failureRateThreshold = 50.0;
    p.waitDuration = std::chrono::milliseconds(30000);
    p.slowCallDuration = std::chrono::milliseconds(5000);
    p.halfOpenPermittedCalls = 3;
    p.halfOpenSuccessThreshold = 2;
    return p;
}

BreakerPolicy withOverrides(double failureThreshold, std::int64_t recoveryMs, std::int64_t expectedMs)
{
    BreakerPolicy p = seedDefault();
    p.failureRateThreshold = failureThreshold * 100.0;
    p.waitDuration = std::chrono::milliseconds(recoveryMs);
    p.slowCallDuration = std::chrono::milliseconds(expectedMs);
    return p;
}
} // namespace

SeedCatalogue seedCatalogue()
{
    SeedCatalogue c;
    c.services = {
        {"payment-service", withOverrides(0.3, 60000, 3000)},
        {"fraud-detection", seedDefault()},
        {"bank-api", seedDefault()},
        {"user-service", withOverrides(0.6, 15000, 2000)},
        {"profile-service", seedDefault()},
        {"auth-service", seedDefault()},
        {"inventory-service", seedDefault()},
        {"warehouse-api", seedDefault()},
    };
    c.groups = {
        {"payment", {"payment-service", "fraud-detection", "bank-api"}, 50.0},
        {"user", {"user-service", "profile-service", "auth-service"}, 60.0},
        {"inventory", {"inventory-service", "warehouse-api"}, 50.0},
    };
    return c;
}

void install(Engine &engine, const SeedCatalogue &catalogue)
{
    for (const auto &s : catalogue.services)
        engine.addBreaker(s.name, s.policy);
    for (const auto &g : catalogue.groups)
        engine.addGroup(g.name, g.members, g.thresholdPercent);
}

} // namespace bb::sim
