#include "servicemapping.h"

namespace bb::record {

namespace {
// "127.0.0.1:8081, 127.0.0.1:8082" (nginx tried two): the last one answered.
std::string_view lastAddress(std::string_view logged)
{
    const auto comma = logged.find_last_of(",:");
    if (comma != std::string_view::npos && logged[comma] == ',')
        logged.remove_prefix(comma + 1);
    while (!logged.empty() && logged.front() == ' ')
        logged.remove_prefix(1);
    if (logged.starts_with("tcp://"))
        logged.remove_prefix(6);
    return logged;
}
} // namespace

ServiceMapping::ServiceMapping(const Configuration *config) : m_config(config)
{
    if (config) {
        for (const ServiceConfig &s : config->services)
            m_services.push_back(&s);
    }
}

std::optional<std::string> ServiceMapping::serviceOf(const LoggedRequest &request) const
{
    const std::string_view upstream = lastAddress(request.upstream);
    if (!m_config) {
        if (!request.host.empty())
            return request.host;
        if (!upstream.empty() && upstream != "-")
            return std::string(upstream);
        return std::nullopt;
    }
    if (!upstream.empty()) {
        for (const ServiceConfig *s : m_services) {
            if (s->upstream && s->upstream->authority() == upstream)
                return s->name;
        }
    }
    if (const auto choice = chooseRoute(m_services, request.host, request.target))
        return m_services[choice->service]->name;
    return std::nullopt;
}

CallOutcome ServiceMapping::outcomeOf(const LoggedRequest &request, const std::string &service) const
{
    if (request.outcome)
        return *request.outcome;
    if (request.status == 0)
        return CallOutcome::Failure; // no answer at all
    const ServiceConfig *config = m_config ? m_config->service(service) : nullptr;
    const ServiceConfig defaults;
    const ServiceConfig &c = config ? *config : defaults;
    if (c.isIgnoredStatus(request.status))
        return CallOutcome::Ignored;
    if (c.isFailureStatus(request.status))
        return CallOutcome::Failure;
    return CallOutcome::Success;
}

} // namespace bb::record
