// A loopback TCP port for a test's own listener or for an upstream that
// refuses: nobody listens on it right now.
#pragma once

#include <QtGlobal>

namespace bb::testing {

quint16 freePort();

} // namespace bb::testing
