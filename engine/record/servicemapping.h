// Gives a logged request its service and its outcome: first by the
// upstream address it went to (a service's upstream host:port), then by the
// configuration's routes (host or path prefix). Without a configuration the
// host, or else the upstream address, names the service.
#pragma once

#include "importer.h"

#include "config/routechoice.h"

namespace bb::record {

class ServiceMapping {
public:
    explicit ServiceMapping(const Configuration *config);

    // The service's name, or nullopt when the configuration has none for it.
    std::optional<std::string> serviceOf(const LoggedRequest &request) const;
    // The log's own word, else the service's statuses (5xx failure, 4xx
    // ignored by default), else success.
    CallOutcome outcomeOf(const LoggedRequest &request, const std::string &service) const;

private:
    const Configuration *m_config;
    std::vector<const ServiceConfig *> m_services;
};

} // namespace bb::record
