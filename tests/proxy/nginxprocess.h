// A real nginx for tests and benchmarks: started on a free loopback port with
// a configuration written into a temporary folder, stopped on destruction.
#pragma once

#include "serverprocess.h"

namespace bb::testing {

class NginxProcess : public ServerProcess {
public:
    // serverBlock: the body of one `server { ... }` without its listen line.
    // upstreamBlock: optional `upstream` (or more `server`) blocks placed
    // beside it. listenOptions: what follows the address on the listen line
    // (" ssl" for HTTPS).
    explicit NginxProcess(const QString &serverBlock, const QString &upstreamBlock = {}, int workers = 1,
                          const QString &listenOptions = {});

    static QString binary(); // empty when nginx is not on PATH
};

} // namespace bb::testing

// First thing in a test function that needs nginx: without it the function
// is skipped (and ctest reports the test as skipped, not passed).
#define SKIP_WITHOUT_NGINX()                                                                                          \
    do {                                                                                                              \
        if (bb::testing::NginxProcess::binary().isEmpty())                                                            \
            QSKIP("nginx is not on PATH (apt-get install nginx)");                                                   \
    } while (false)
