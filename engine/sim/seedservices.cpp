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

ServiceConfig named(const char *name, BreakerPolicy policy)
{
    ServiceConfig s;
    s.name = name;
    s.policy = policy;
    return s;
}
} // namespace

Configuration seedCatalogue()
{
    Configuration c;
    c.services = {
        named("payment-service", withOverrides(0.3, 60000, 3000)),
        named("fraud-detection", seedDefault()),
        named("bank-api", seedDefault()),
        named("user-service", withOverrides(0.6, 15000, 2000)),
        named("profile-service", seedDefault()),
        named("auth-service", seedDefault()),
        named("inventory-service", seedDefault()),
        named("warehouse-api", seedDefault()),
    };
    c.groups = {
        {"payment", {"payment-service", "fraud-detection", "bank-api"}, 50.0},
        {"user", {"user-service", "profile-service", "auth-service"}, 60.0},
        {"inventory", {"inventory-service", "warehouse-api"}, 50.0},
    };
    return c;
}


std::vector<std::string> demoServiceNames()
{
    std::vector<std::string> names;
    for (const auto &s : seedCatalogue().services)
        names.push_back(s.name);
    names.push_back("external-api");
    names.push_back("backup-api");
    return names;
}

} // namespace bb::sim
