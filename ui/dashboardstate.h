// What the dashboard knows, built from the observations the control service
// sends: for every service the figures of its table row, and one point a
// second for the last minutes (rates, request split, latency, state) that the
// charts, sparklines and the threshold preview read. Pure values: no widgets.
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
    bool operator==(const ServiceRow &) const = default;
};

class DashboardState {
public:
    static constexpr std::size_t kSeconds = 300; // kept per service: five minutes
    static constexpr int kLatencySeconds = 10;   // p50 and p99 are over this many seconds

    // Takes one observation. Returns the rows whose figures changed; all rows
    // when the set of services changed (rowsReplaced()).
    std::vector<int> update(const control::Observation &observation);
    bool rowsReplaced() const { return m_replaced; }

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
    };
    void rebuild(const control::Observation &observation);
    ServiceRow makeRow(const BreakerSnapshot &b, const Track &track) const;
    void addPoint(Track &track, const BreakerSnapshot &b, const control::ServiceTraffic *traffic, std::int64_t nowMs);

    std::shared_ptr<const EngineSnapshot> m_snapshot;
    std::vector<ServiceRow> m_rows;
    std::vector<Track> m_tracks;
    std::vector<int> m_trafficIndex; // row → index in the observation's traffic, -1 without
    std::size_t m_trafficSize = 0;
    std::unordered_map<std::string, int> m_index;
    bool m_replaced = false;
};

// A state as the window writes it: the engine's name, spaced ("half open").
QString stateLabel(BreakerState s);

} // namespace bb::ui
