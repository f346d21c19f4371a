// glibc's string functions without AVX-512, for the whole process.
//
// On a CPU with AVX-512, glibc's memcpy, strlen, memchr and the rest use
// it (the 512-bit forms and the EVEX ones on registers 16 to 31). A proxy
// worker copies many short strings between system calls and context
// switches, and there that state is dear: on the benchmark's machine (a
// virtual Xeon) the proxy spent 3.2 to 3.6 µs of user time per request
// with it and 2.3 to 2.6 µs without, the same build alternated against
// the same upstream. glibc chooses its string functions once, as the
// process starts, from GLIBC_TUNABLES: the process starts its binary again
// with the tunable that turns AVX-512 off for them (the same PID, name,
// arguments and environment besides). A GLIBC_TUNABLES already set, even empty, is left
// as it is; where the process cannot start itself again it goes on as it is.
#pragma once

namespace bb::app {

void restartWithoutAvx512StringFunctions(char *argv[]);

} // namespace bb::app
