#include "stringfunctions.h"

#include <climits>
#include <cstdlib>

#include <unistd.h>

namespace bb::app {

void restartWithoutAvx512StringFunctions(char *argv[])
{
    if (std::getenv("GLIBC_TUNABLES"))
        return;
    // The binary's own path, not /proc/self/exe: the process keeps its name
    // (ps, top, pkill, systemd) rather than taking "exe".
    char path[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (length <= 0)
        return;
    path[length] = '\0';
    if (::setenv("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD", 1) != 0)
        return;
    ::execv(path, argv);
    // Still here: the binary is gone (replaced while running) or cannot be
    // run again. Nothing is lost but the speed; the environment is as it was.
    ::unsetenv("GLIBC_TUNABLES");
}

} // namespace bb::app
