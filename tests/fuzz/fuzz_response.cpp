// libFuzzer harness: what an upstream answers on one connection, read the
// way UpstreamConnection::pump reads it (engine/proxy/upstreamconnection.cpp):
// bytes arrive in pieces and unparsed ones are fed again, 1xx answers are
// passed over, the body is taken as it comes, and a body that runs to the
// close of the connection ends with the input. Checks that a complete
// response's body has the length its head declares (none for a HEAD request,
// 1xx, 204 and 304).
// Input: byte 0 chooses the cuts (fuzzing.h), and with its bit 2 set the
// request was HEAD ('4' to '7' in a seed file); the rest is the upstream's bytes.
#include "fuzzing.h"

#include "proxy/httpparser.h"

#include <QByteArray>

#include <limits>
#include <string>

using namespace bb;
using namespace bb::proxy;

namespace {
constexpr std::uint32_t kUpstreamHeaderLimit = 64 * 1024; // as upstreamconnection.cpp

struct Reader {
    explicit Reader(bool headRequest) : bodyless(headRequest) { begin(); }

    void begin()
    {
        parser.reset();
        if (bodyless)
            parser.skipBody();
    }

    // false once the response is complete or refused.
    bool pump()
    {
        for (;;) {
            const std::size_t used = parser.feed(in.data() + offset, in.size() - offset);
            fuzz::check(used <= in.size() - offset, "the parser consumed more than it was given");
            offset += used;
            if (parser.error() != ParseError::None)
                return false; // 502: the upstream sent a malformed response
            if (parser.done() && parser.head().status >= 100 && parser.head().status < 200) {
                begin();
                continue;
            }
            break;
        }
        if (offset == in.size()) {
            in.clear();
            offset = 0;
        }
        bodyBytes += std::uint64_t(parser.body().size());
        parser.body().clear();
        if (parser.done()) {
            complete();
            return false;
        }
        return true;
    }

    void complete()
    {
        const HttpHead &head = parser.head();
        fuzz::check(head.status >= 200 && head.status <= 999, "a complete response has a status out of range",
                    std::to_string(head.status));
        const bool noBody = bodyless || head.status == 204 || head.status == 304;
        if (noBody)
            fuzz::check(bodyBytes == 0, "a response without a body gave body bytes");
        else if (head.contentLength && !head.chunked)
            fuzz::check(bodyBytes == *head.contentLength, "the body is not as long as Content-Length says",
                        std::to_string(bodyBytes) + " != " + std::to_string(*head.contentLength));
    }

    const bool bodyless;
    HttpParser parser{false, kUpstreamHeaderLimit, std::numeric_limits<std::uint64_t>::max()};
    std::string in;
    std::size_t offset = 0;
    std::uint64_t bodyBytes = 0;
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Pieces pieces(data, size);
    Reader reader((pieces.splitByte() & 4) != 0);
    while (!pieces.atEnd()) {
        reader.in.append(pieces.next());
        if (!reader.pump())
            return 0;
    }
    // The upstream closed: a body that runs to the close ends here.
    if (reader.parser.headDone() && reader.parser.needEof()) {
        reader.parser.feedEof();
        reader.pump();
    }
    return 0;
}
