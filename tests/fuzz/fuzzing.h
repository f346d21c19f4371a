// Shared by the libFuzzer harnesses: cutting an input into the pieces a peer
// would send it in, and failing loudly when a check does not hold. An input
// starts with one byte that chooses the cuts; the rest is the stream. The
// cuts come from a small generator seeded with that byte, so an input is
// replayed exactly (libFuzzer, the replay tests and a debugger agree).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace bb::fuzz {

// Split byte & 3: 0 the whole stream at once; 1 pieces of 1 to 4 bytes;
// 2 of 1 to 32; 3 of 1 to 512. The other bits seed the sizes (and some
// harnesses read a flag from them: see each harness).
class Pieces {
public:
    Pieces(const std::uint8_t *data, std::size_t size)
        : m_split(size > 0 ? data[0] : 0)
        , m_stream(reinterpret_cast<const char *>(data) + (size > 0 ? 1 : 0), size > 0 ? size - 1 : 0)
        , m_state(0x9E3779B97F4A7C15ull ^ (std::uint64_t(m_split) * 0xBF58476D1CE4E5B9ull))
    {
    }

    std::uint8_t splitByte() const { return m_split; }
    std::string_view stream() const { return m_stream; }
    bool atEnd() const { return m_offset >= m_stream.size(); }

    // The next piece as the peer sends it; empty at the end.
    std::string_view next()
    {
        static constexpr std::size_t kLargest[] = {0, 4, 32, 512};
        const std::size_t largest = kLargest[m_split & 3];
        std::size_t n = m_stream.size() - m_offset;
        if (largest != 0)
            n = std::min<std::size_t>(n, 1 + std::size_t(random() % largest));
        const std::string_view piece = m_stream.substr(m_offset, n);
        m_offset += n;
        return piece;
    }

private:
    std::uint64_t random()
    {
        // xorshift64*: enough to vary the cuts, and the same on every machine.
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }

    std::uint8_t m_split;
    std::string_view m_stream;
    std::size_t m_offset = 0;
    std::uint64_t m_state;
};

// A check that failed: says which and stops the process the way a sanitizer
// would, so libFuzzer keeps the input as a crash.
[[noreturn]] inline void fail(const char *what, std::string_view detail = {})
{
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    if (!detail.empty())
        std::fprintf(stderr, "  %.*s\n", int(std::min<std::size_t>(detail.size(), 4000)), detail.data());
    std::fflush(stderr);
    std::abort();
}

inline void check(bool condition, const char *what, std::string_view detail = {})
{
    if (!condition)
        fail(what, detail);
}

} // namespace bb::fuzz
