// A replayed engine's traffic, counted as the proxy counts live requests:
// a route table over the replay's engine whose per-service counters a
// ReplayListener fills, so the dashboard's observations of a replay carry
// the same outcomes and latency histogram as a live proxy's (sampleTraffic).
#pragma once

#include "record/replayrun.h"
#include "proxy/routetable.h"

#include <memory>

namespace bb::control {

class ReplayTraffic final : public record::ReplayListener {
public:
    // Attaches itself to run; run must outlive it.
    ReplayTraffic(record::ReplayRun &run, const Configuration &config);
    ~ReplayTraffic() override;
    const std::shared_ptr<const proxy::RouteTable> &routes() const { return m_routes; }

    void counted(std::uint32_t service, record::CallOutcome outcome, RejectReason reason,
                 std::int64_t latencyNs) override;

private:
    record::ReplayRun &m_run;
    std::shared_ptr<const proxy::RouteTable> m_routes;
    std::vector<proxy::ServiceRuntime *> m_byRecordedService; // null: not configured
};

} // namespace bb::control
