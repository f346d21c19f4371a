// What the dashboard knows, built from the observations the control service
// sends: for every service the figures of its table row, and one point a
// second for the last minutes (rates, request split, latency, state) that the
// charts, sparklines and the threshold preview read. Over a fleet the rows
// are the fleet's (its merged observation), and each instance has a state of
// its own, fed that instance's observations as they come. Pure values: no
// widgets.
#pragma once

#include "control/trafficsample.h"
#include "core/whatif.h"

#include <QString>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bb::ui {

// One second of one service.
struct ServicePoint {
    std::int64_t wallMs = 0;
    BreakerState state = BreakerState::Closed;
    float failureRate = 0; // percent of the window
    float slowRate = 0;
    float okPerS = 0;
    float failedPerS = 0; // failures and timeouts
    float rejectedPerS = 0;
    float fallbackPerS = 0;
    float p50Ms = 0;
    float p99Ms = 0;
    SecondOfCalls calls; // what the breaker recorded in this second
};

// The latest figures of one service: a row of the table, a tile.
struct ServiceRow {
    std::string name;
    std::string group; // the first group it belongs to, or empty
    BreakerState state = BreakerState::Closed;
    double failureRate = 0;
    double failureThreshold = 0;
    double slowRate = 0;
    std::optional<double> slowThreshold;
    double requestsPerS = 0;
    double rejectedPerS = 0;
    std::uint64_t fallbacks = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    std::int64_t timeInStateS = 0;
    std::optional<std::int64_t> nextTrialInS;
    std::uint32_t permitsUsed = 0;
    std::uint32_t permitsLeft = 0;
    proxy::FailureNote lastFailure; // wallMs 0: no call has failed
    double enforcement = 100.0;     // percent of would-be rejections carried out
    std::uint64_t wouldReject = 0;  // calls let through that it would have rejected
    bool operator==(const ServiceRow &) const = default;
};

class DashboardState {
public:
    static constexpr std::size_t kSeconds = 300; // kept per service: five minutes
    static constexpr int kLatencySeconds = 10;   // p50 and p99 are over this many seconds

    // Takes one observation. Returns the rows whose figures changed (over a
    // fleet: or what the instances say of them); all rows when the set of
    // services changed (rowsReplaced()).
    std::vector<int> update(const control::Observation &observation);
    bool rowsReplaced() const { return m_replaced; }

    // Over a fleet (null for one engine): what the last observation said of
    // each instance and its link.
    const control::FleetView *fleet() const { return m_fleet.get(); }
    // One engine's link to its cluster's shared state, as the last
    // observation said it; unset when it shares nothing (and over a fleet,
    // whose instances each say their own).
    const std::optional<control::SharedStateStatus> &sharedState() const { return m_shared; }
    // An instance's own state, by its index in the fleet view or its name;
    // null when there is none.
    const DashboardState *instance(int index) const;
    const DashboardState *instance(const std::string &name) const;
    // The figures of a row's service on an instance; null when the instance
    // does not have it or has said nothing yet.
    const ServiceRow *instanceRow(int instance, int row) const;
    // Whether an instance's settings of a row's service are not those most
    // instances have (every one of them, when no setting has a majority).
    bool policyDiffers(int instance, int row) const;
    // Since the last update: the instances came or went (every row of them
    // changed), or which instances' rows changed, as (row, instance).
    bool instancesReplaced() const { return m_instancesReplaced; }
    const std::vector<std::pair<int, int>> &changedInstanceRows() const { return m_changedInstances; }

    const std::vector<ServiceRow> &rows() const { return m_rows; }
    int rowOf(const std::string &name) const;
    const std::deque<ServicePoint> &history(int row) const { return m_tracks[std::size_t(row)].points; }
    const std::shared_ptr<const EngineSnapshot> &snapshot() const { return m_snapshot; }
    double totalRequestsPerS() const;
    // Open, half-open or forced open: breakers that turn calls away.
    int breakersOpen() const;

    // The calls each second of the kept history, for a what-if replay.
    std::vector<SecondOfCalls> recordedSeconds(int row) const;

private:
    using Buckets = std::array<std::uint64_t, proxy::kDurationBucketsMs.size() + 1>;
    struct Track {
        std::deque<ServicePoint> points;
        std::deque<Buckets> durations; // cumulative, one a second, newest last
        BreakerTotals totals; // at the last point
        std::array<std::uint64_t, proxy::kRequestOutcomeCount> outcomes{}; // at the last point
        std::int64_t atMs = 0; // the last point's time
        bool started = false;
        proxy::FailureNote lastFailure; // as the last traffic sample said
    };
    void rebuild(const control::Observation &observation);
    ServiceRow makeRow(const BreakerSnapshot &b, const Track &track) const;
    void addPoint(Track &track, const BreakerSnapshot &b, const control::ServiceTraffic *traffic, std::int64_t nowMs);
    // Feeds each instance what it said since the last observation; adds to
    // changed the rows whose fleet state changed.
    void updateFleet(std::shared_ptr<const control::FleetView> fleet, std::vector<int> &changed);

    std::shared_ptr<const EngineSnapshot> m_snapshot;
    std::vector<ServiceRow> m_rows;
    std::vector<Track> m_tracks;
    std::vector<int> m_trafficIndex; // row → index in the observation's traffic, -1 without
    std::size_t m_trafficSize = 0;
    std::unordered_map<std::string, int> m_index;
    bool m_replaced = false;

    std::optional<control::SharedStateStatus> m_shared;
    std::shared_ptr<const control::FleetView> m_fleet;
    std::vector<DashboardState> m_instances; // in the fleet view's order
    std::vector<std::shared_ptr<const control::Observation>> m_fed; // what each instance was fed last
    bool m_instancesReplaced = false;
    std::vector<std::pair<int, int>> m_changedInstances;
};

// A state as the window writes it: the engine's name, spaced ("half open").
QString stateLabel(BreakerState s);
// The same, marked for a breaker that enforces less than all of its
// rejections, with the engine's words (enforcementText): "would be open ·
// monitor only", "open · 25% enforced", "closed · monitor only". Operators'
// forced states are always enforced.
QString stateLabel(BreakerState s, double enforcement);

} // namespace bb::ui
