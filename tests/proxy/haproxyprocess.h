// A real HAProxy for benchmarks: an HTTP reverse proxy with keep-alive to
// one upstream on 127.0.0.1, on a free loopback port, stopped on destruction.
#pragma once

#include "serverprocess.h"

namespace bb::testing {

class HaproxyProcess : public ServerProcess {
public:
    HaproxyProcess(quint16 upstreamPort, int threads);

    static QString binary(); // empty when haproxy is not on PATH
};

} // namespace bb::testing
