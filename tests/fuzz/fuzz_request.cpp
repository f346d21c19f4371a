// libFuzzer harness: what a client sends on one connection, read the way
// ClientConnection reads it (engine/proxy/clientconnection.cpp): bytes
// arrive in pieces, unparsed bytes are fed again with the next ones, a head
// is resolved and routed, the body is taken piece by piece, and pipelined
// requests follow. Every request the proxy would forward is checked against
// the bytes it sends upstream (upstreamRequestHead + frameRequestBody), parsed
// back by a fresh parser in one go: no error, no byte left over, the same
// method, the routed target, every forwarded field in order with its value
// (RFC 9110 7.6.1: none named in any Connection field), X-Forwarded-For and
// Via extending the client's lists, and the same body length. A refusal (a
// parse error, a refused target, a 404 with a body) ends the connection, as
// it does in the proxy.
// Input: byte 0 chooses the cuts (fuzzing.h); the rest is the connection.
#include "fuzzing.h"

#include "config/serviceconfig.h"
#include "core/engine.h"
#include "core/manualclock.h"
#include "proxy/httpparser.h"
#include "proxy/proxyoptions.h"
#include "proxy/requesttarget.h"
#include "proxy/routetable.h"
#include "proxy/upstreamrequest.h"

#include <QByteArray>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

using namespace bb;
using namespace bb::proxy;

namespace {

ServiceConfig service(const std::string &name, RouteRule route, const std::string &upstream)
{
    ServiceConfig s;
    s.name = name;
    s.routes = {std::move(route)};
    s.upstream = parseUpstreamUrl(upstream, nullptr);
    s.policy.windowType = WindowType::Count;
    s.policy.windowSize = 10;
    s.policy.minimumCalls = 4;
    return s;
}

// Routes with and without a base path (with and without its slash), a host
// route, and the upstream's default port.
struct Proxy {
    Proxy()
    {
        config.services = {
            service("v2api", {"/v2api", ""}, "http://127.0.0.1:9001/base/"),
            service("legacy", {"/legacy/", ""}, "http://legacy.internal:8080/old"),
            service("plain", {"/plain", ""}, "http://plain.internal"),
            service("hosted", {"", "api.example.com"}, "http://10.0.0.7:9003/"),
        };
        installConfiguration(config, engine);
        routes = std::make_unique<RouteTable>(config, engine);
    }
    ManualClock clock{TimePoint(std::chrono::seconds(1000))};
    Engine engine{clock, clock};
    Configuration config;
    std::unique_ptr<RouteTable> routes;
    const ProxyLimits limits{};
};

const QByteArray kClientAddress = "192.0.2.7";

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The elements of every field of this name, as one list (RFC 9110 5.6.1:
// empty elements do not count).
std::vector<std::string> listOf(const std::vector<std::pair<std::string, std::string>> &fields,
                                std::string_view name)
{
    std::vector<std::string> out;
    for (const auto &[n, value] : fields) {
        if (!equalsIgnoringCase(n, name))
            continue;
        std::string_view rest = value;
        for (;;) {
            const auto comma = rest.find(',');
            const std::string_view element = trimOws(rest.substr(0, comma));
            if (!element.empty())
                out.emplace_back(element);
            if (comma == std::string_view::npos)
                break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

// The fields a proxy forwards (RFC 9110 7.6.1): not hop-by-hop, not named in
// any Connection field, and none of those the proxy states itself.
std::vector<std::pair<std::string, std::string>> forwardedFields(const HttpHead &request)
{
    std::vector<std::string> named;
    for (const auto &[name, value] : request.fields) {
        if (!equalsIgnoringCase(name, "Connection"))
            continue;
        std::string_view rest = value;
        for (;;) {
            const auto comma = rest.find(',');
            const std::string_view token = trimOws(rest.substr(0, comma));
            if (!token.empty())
                named.push_back(lower(token));
            if (comma == std::string_view::npos)
                break;
            rest.remove_prefix(comma + 1);
        }
    }
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto &field : request.fields) {
        const std::string name = lower(field.first);
        if (isHopByHop(name) || name == "host" || name == "expect" || name == "content-length" ||
            name == "x-forwarded-proto" || name == "via" || name == "x-forwarded-for" ||
            std::find(named.begin(), named.end(), name) != named.end())
            continue;
        out.push_back(field);
    }
    return out;
}

std::string describe(const HttpHead &request, const QByteArray &upstream)
{
    std::string text = "client: " + request.method + " " + request.target;
    for (const auto &[name, value] : request.fields)
        text += "\n  " + name + ": " + value;
    return text + "\nupstream bytes:\n" + upstream.toStdString();
}

// The differential check: what goes upstream means the same as what came in.
void checkUpstream(const HttpHead &request, const RouteMatch &match, const QByteArray &upstream,
                   std::uint64_t bodyLength)
{
    HttpParser back(true, 1u << 20, std::uint64_t(1) << 40);
    const std::size_t used = back.feed(upstream.constData(), std::size_t(upstream.size()));
    const std::string context = describe(request, upstream);
    fuzz::check(back.error() == ParseError::None, "the upstream request does not parse",
                back.errorText() + "\n" + context);
    fuzz::check(back.done(), "the upstream request is incomplete", context);
    fuzz::check(used == std::size_t(upstream.size()), "bytes are left over after the upstream request", context);
    const HttpHead &head = back.head();
    fuzz::check(head.method == request.method, "the upstream method differs", context);
    fuzz::check(head.target == match.upstreamTarget, "the upstream target is not the routed one",
                head.target + " != " + match.upstreamTarget + "\n" + context);
    fuzz::check(std::uint64_t(back.body().size()) == bodyLength, "the upstream body length differs", context);

    // Host first, then the client's fields in order, then what the proxy adds.
    const UpstreamUrl &url = *match.service->config.upstream;
    std::vector<std::pair<std::string, std::string>> want = {
        {"host", url.port == 80 ? url.host : url.authority()}};
    for (const auto &[name, value] : forwardedFields(request))
        want.emplace_back(name, value);
    // Their values extend the client's own lists: compared as lists below.
    for (const char *name : {"x-forwarded-for", "x-forwarded-proto", "via"})
        want.emplace_back(name, std::string(head.field(name)));
    if (request.chunked)
        want.emplace_back("transfer-encoding", "chunked");
    else if (request.contentLength)
        want.emplace_back("content-length", std::to_string(*request.contentLength));
    want.emplace_back("connection", "keep-alive");
    const auto sameField = [](const auto &a, const auto &b) {
        return equalsIgnoringCase(a.first, b.first) && a.second == b.second;
    };
    if (!std::equal(want.begin(), want.end(), head.fields.begin(), head.fields.end(), sameField)) {
        std::string lists = "wanted upstream:";
        for (const auto &[name, value] : want)
            lists += "\n  " + name + ": " + value;
        lists += "\nsent upstream:";
        for (const auto &[name, value] : head.fields)
            lists += "\n  " + name + ": " + value;
        fuzz::fail("the upstream fields are not the client's forwarded ones and the proxy's own",
                   lists + "\n" + context);
    }
    const auto extended = [&](std::string_view name, const std::string &hop) {
        std::vector<std::string> list = listOf(request.fields, name);
        list.push_back(hop);
        fuzz::check(listOf(head.fields, name) == list, "the upstream list does not extend the client's", context);
    };
    extended("X-Forwarded-For", kClientAddress.toStdString());
    extended("Via", "1.1 breakerboard");
}

// One client connection; returns when the proxy would close it or the
// client has sent everything.
void serve(Proxy &proxy, fuzz::Pieces &pieces)
{
    HttpParser parser(true, proxy.limits.maxHeaderBytes, proxy.limits.maxBodyBytes);
    std::string in;
    std::size_t offset = 0;
    bool forwarding = false; // a request was routed; its body is being taken
    HttpHead request;
    RouteMatch match;
    QByteArray upstream;
    std::uint64_t bodyLength = 0;

    const auto feed = [&] {
        const std::size_t used = parser.feed(in.data() + offset, in.size() - offset);
        fuzz::check(used <= in.size() - offset, "the parser consumed more than it was given");
        offset += used;
        return used;
    };

    while (!pieces.atEnd()) {
        const std::string_view piece = pieces.next();
        if (offset >= in.size()) {
            in.clear();
            offset = 0;
        }
        in.append(piece);
        // processOnce: heads, routing, bodies, then pipelined requests.
        for (;;) {
            if (!forwarding) {
                if (offset >= in.size())
                    break;
                feed();
                if (parser.error() != ParseError::None)
                    return; // refused: 400, 413, 431 or 501, and the connection closes
                if (!parser.headDone())
                    break;
                const HttpHead &head = parser.head();
                const TargetResolution resolution = resolveTarget(
                    head, [&](std::string_view host) { return proxy.routes->servesHost(host); });
                if (std::holds_alternative<TargetRefusal>(resolution))
                    return; // 400 or 403, and the connection closes
                const auto &resolved = std::get<ResolvedTarget>(resolution);
                match = proxy.routes->match(resolved.host, resolved.target);
                if (!match.service) {
                    // 404; the connection goes on only when no body follows.
                    if (!head.keepAlive || head.contentLength.value_or(0) > 0 || head.chunked)
                        return;
                    parser.reset();
                    continue;
                }
                request = parser.takeHead();
                upstream = upstreamRequestHead(request, match.upstreamTarget, *match.service->config.upstream,
                                               kClientAddress);
                bodyLength = 0;
                forwarding = true;
            }
            // feedBody: every piece of the body goes upstream as it comes.
            bool waiting = false;
            for (;;) {
                QByteArray &body = parser.body();
                if (!body.isEmpty() || parser.done()) {
                    const QByteArray taken = std::exchange(body, QByteArray());
                    bodyLength += std::uint64_t(taken.size());
                    upstream += frameRequestBody(request.chunked, taken, parser.done());
                }
                if (parser.done())
                    break;
                if (offset >= in.size()) {
                    waiting = true;
                    break;
                }
                const std::size_t used = feed();
                if (parser.error() != ParseError::None)
                    return; // the exchange is abandoned; the connection closes
                if (used == 0 && parser.body().isEmpty() && !parser.done()) {
                    waiting = true;
                    break;
                }
            }
            if (waiting)
                break;
            checkUpstream(request, match, upstream, bodyLength);
            forwarding = false;
            parser.reset();
            const bool keepAlive = request.keepAlive;
            parser.recycle(std::move(request)); // as the proxy does with a finished exchange's head
            if (!keepAlive)
                return; // answered with Connection: close
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static Proxy proxy;
    fuzz::Pieces pieces(data, size);
    serve(proxy, pieces);
    return 0;
}
