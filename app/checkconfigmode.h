// `breakerboard check-config FILE`: OK and a one-line summary, or every
// error as file:line:column: message and exit status 1.
#pragma once

#include <QString>

namespace bb::app {

int runCheckConfig(const QString &path);

} // namespace bb::app
