// `breakerboard import --from nginx|har|envoy INPUT -o RECORDING [--config
// FILE]`: another tool's log as a recording. Skipped lines are counted and
// named by number on standard error; they never stop the import.
#pragma once

#include <QString>

namespace bb::app {

int runImport(const QString &format, const QString &input, const QString &output, const QString &configPath);

} // namespace bb::app
