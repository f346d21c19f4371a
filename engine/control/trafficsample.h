// What the proxy counted for each service at one moment: outcomes, fallbacks
// and the request-duration histogram. Taken with each engine snapshot so the
// dashboard can show rates, the request split and latency percentiles.
#pragma once

#include "core/snapshot.h"
#include "fleetview.h"
#include "sharedstatus.h"
#include "proxy/routetable.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bb::control {

struct ServiceTraffic {
    std::string name;
    std::array<std::uint64_t, proxy::kRequestOutcomeCount> outcomes{};
    std::array<std::uint64_t, kFallbackStrategyCount> fallbacks{}; // by FallbackStrategy
    std::array<std::uint64_t, proxy::kDurationBucketsMs.size() + 1> durations{}; // last: +Inf
    proxy::FailureNote lastFailure; // wallMs 0: no call failed yet

    std::uint64_t outcome(proxy::RequestOutcome o) const { return outcomes[std::size_t(o)]; }
    // Every request counted, whatever its outcome.
    std::uint64_t requests() const;
    // Adds another instance's counts of the same service: histograms with the
    // same bounds merge by adding their buckets; the later failure is kept.
    ServiceTraffic &operator+=(const ServiceTraffic &o);
    bool operator==(const ServiceTraffic &) const = default;
};

// One sample: the engine's snapshot and, when a proxy runs, its counters.
// Over a fleet, both are the fleet's, merged, and the fleet view says what
// each instance said.
struct Observation {
    std::shared_ptr<const EngineSnapshot> engine;
    std::vector<ServiceTraffic> traffic; // in the route table's order; empty without a proxy
    std::shared_ptr<const FleetView> fleet; // null: one engine
    std::optional<SharedStateStatus> sharedState; // set: this instance shares state through Redis
};

std::vector<ServiceTraffic> sampleTraffic(const proxy::RouteTable &routes);

// The latency below which `fraction` of the counted requests finished, in
// milliseconds, interpolated inside the bucket; 0 when nothing was counted.
double durationQuantile(const std::array<std::uint64_t, proxy::kDurationBucketsMs.size() + 1> &buckets,
                        double fraction);

} // namespace bb::control
