// A configuration from YAML written in a test; a test whose own YAML does
// not load stops at once with the reason.
#pragma once

#include "config/configloader.h"

#include <QtGlobal>

#include <string>

namespace bb::testing {

inline Configuration parsed(const std::string &yaml)
{
    ConfigResult r = parseConfiguration(yaml, "test.yaml");
    if (!r.ok())
        qFatal("test configuration does not load: %s", r.issues.front().toString().c_str());
    return *r.config;
}

} // namespace bb::testing
