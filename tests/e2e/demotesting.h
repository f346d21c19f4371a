// Shared by the in-process dashboard tests: a demo on free loopback ports
// with its state in the test's directory.
#pragma once

#include "demomode.h"

#include <QTemporaryDir>

namespace bb::testing {

inline app::DemoOptions demoOptions(const QTemporaryDir &dir, int callsPerSecond, const QString &scenario = {})
{
    app::DemoOptions options;
    options.proxy.address = QHostAddress::LocalHost;
    options.proxy.port = 0;
    options.proxy.workers = 1;
    options.callsPerSecond = callsPerSecond;
    options.scenarioPath = scenario;
    options.control.stateDir = dir.filePath("state");
    options.control.adminPort = 0;
    return options;
}

} // namespace bb::testing
