// Which service a request belongs to by its routes: a host rule, or the
// longest matching path prefix (which wins over a host rule). Shared by the
// proxy and the log importers.
#pragma once

#include "serviceconfig.h"

#include <optional>
#include <string_view>
#include <vector>

namespace bb {

struct RouteChoice {
    std::size_t service = 0; // index into the services given
    const RouteRule *rule = nullptr;
};

// host: without port; target: path and query.
std::optional<RouteChoice> chooseRoute(const std::vector<const ServiceConfig *> &services, std::string_view host,
                                       std::string_view target);
// Does a host rule name this host (compared without case)?
bool routesHost(const std::vector<const ServiceConfig *> &services, std::string_view host);

} // namespace bb
