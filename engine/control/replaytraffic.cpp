#include "replaytraffic.h"

namespace bb::control {

ReplayTraffic::ReplayTraffic(record::ReplayRun &run, const Configuration &config)
    : m_run(run), m_routes(std::make_shared<const proxy::RouteTable>(config, run.engine()))
{
    for (const std::string &name : run.recording().services)
        m_byRecordedService.push_back(m_routes->service(name));
    run.setListener(this);
}

ReplayTraffic::~ReplayTraffic() { m_run.setListener(nullptr); }

void ReplayTraffic::counted(std::uint32_t service, record::CallOutcome outcome, RejectReason reason,
                            std::int64_t latencyNs)
{
    proxy::ServiceRuntime *runtime = m_byRecordedService[service];
    if (!runtime)
        return;
    using proxy::RequestOutcome;
    RequestOutcome counted = RequestOutcome::Success;
    switch (outcome) {
    case record::CallOutcome::Success: counted = RequestOutcome::Success; break;
    case record::CallOutcome::Failure: counted = RequestOutcome::Failure; break;
    case record::CallOutcome::Timeout: counted = RequestOutcome::Timeout; break;
    case record::CallOutcome::Ignored: counted = RequestOutcome::Ignored; break;
    case record::CallOutcome::Rejected:
        counted = reason == RejectReason::GroupOpen ? RequestOutcome::RejectedGroup : RequestOutcome::RejectedBreaker;
        break;
    }
    runtime->counters.count(counted);
    runtime->counters.observeDuration(double(latencyNs) / 1e6);
}

} // namespace bb::control
