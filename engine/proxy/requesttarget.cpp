#include "requesttarget.h"

#include <vector>

namespace bb::proxy {

namespace {
bool encodedAs(std::string_view s, std::size_t i, char hex1, char hex2)
{
    return s.size() - i >= 3 && s[i] == '%' && s[i + 1] == hex1 &&
           (s[i + 2] == hex2 || s[i + 2] == char(std::toupper(static_cast<unsigned char>(hex2))));
}

// 1 for ".", 2 for "..", with "%2e" read as a dot; 0 for any other segment.
int dotSegment(std::string_view segment)
{
    int dots = 0;
    for (std::size_t i = 0; i < segment.size();) {
        if (segment[i] == '.')
            i += 1;
        else if (encodedAs(segment, i, '2', 'e'))
            i += 3;
        else
            return 0;
        ++dots;
    }
    return dots <= 2 ? dots : 0;
}

// A segment that an upstream could split further ("..%2f" or "..\"): refused
// when one of its pieces is a dot-segment, as no reading of it is safe.
bool hidesDotSegment(std::string_view segment)
{
    std::size_t start = 0;
    bool split = false;
    std::vector<std::string_view> pieces;
    for (std::size_t i = 0; i <= segment.size();) {
        std::size_t width = 0;
        if (i == segment.size())
            width = 0;
        else if (segment[i] == '\\')
            width = 1;
        else if (encodedAs(segment, i, '2', 'f') || encodedAs(segment, i, '5', 'c'))
            width = 3;
        else {
            ++i;
            continue;
        }
        pieces.push_back(segment.substr(start, i - start));
        if (i == segment.size())
            break;
        split = true;
        i += width;
        start = i;
    }
    if (!split)
        return false;
    for (std::string_view piece : pieces) {
        if (dotSegment(piece) != 0)
            return true;
    }
    return false;
}

TargetRefusal badRequest(std::string message)
{
    return {TargetRefusal::Kind::BadRequest, 400, "Bad Request", std::move(message)};
}
} // namespace

std::string_view hostWithoutPort(std::string_view host)
{
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        return close == std::string_view::npos ? host : host.substr(1, close - 1);
    }
    const auto colon = host.rfind(':');
    return colon == std::string_view::npos ? host : host.substr(0, colon);
}

std::optional<std::string> removeDotSegments(std::string_view path, std::string *error)
{
    std::vector<std::string_view> kept;
    bool trailingSlash = false;
    std::string_view rest = path.substr(path.empty() || path.front() != '/' ? 0 : 1);
    for (;;) {
        const auto slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        const bool last = slash == std::string_view::npos;
        const int dots = dotSegment(segment);
        if (dots == 2 && kept.empty()) {
            *error = "the path climbs above the root";
            return std::nullopt;
        }
        if (dots == 2)
            kept.pop_back();
        if (dots == 0 && hidesDotSegment(segment)) {
            *error = "the path hides a dot-segment behind an encoded slash or a backslash";
            return std::nullopt;
        }
        if (dots == 0)
            kept.push_back(segment);
        trailingSlash = dots != 0 && last;
        if (last)
            break;
        rest.remove_prefix(slash + 1);
    }
    std::string out;
    out.reserve(path.size());
    for (std::string_view segment : kept) {
        out += '/';
        out.append(segment);
    }
    if (out.empty() || trailingSlash)
        out += '/';
    return out;
}

TargetResolution resolveTarget(const HttpHead &request, const std::function<bool(std::string_view)> &servesHost)
{
    if (request.method == "CONNECT")
        return TargetRefusal{TargetRefusal::Kind::NotServed, 403, "Forbidden",
                             "Breakerboard is a reverse proxy, not an open proxy: CONNECT is refused"};
    std::string_view target = request.target;
    ResolvedTarget resolved{std::string(hostWithoutPort(request.field("Host"))), {}};
    const auto scheme = target.find("://");
    if (scheme != std::string_view::npos && (equalsIgnoringCase(target.substr(0, scheme), "http") ||
                                             equalsIgnoringCase(target.substr(0, scheme), "https"))) {
        // Absolute form: only for hosts this proxy serves.
        const std::size_t start = scheme + 3;
        const std::size_t end = target.find_first_of("/?", start);
        const std::string_view targetHost = hostWithoutPort(target.substr(start, end - start));
        if (!servesHost(targetHost))
            return TargetRefusal{TargetRefusal::Kind::NotServed, 403, "Forbidden",
                                 "Breakerboard is not an open proxy: " + std::string(targetHost) +
                                     " is not a host it serves"};
        resolved.host = std::string(targetHost);
        target = end == std::string_view::npos ? std::string_view("/") : target.substr(end);
        if (target.front() == '?')
            return badRequest("an absolute target's query must follow a path");
    }
    if (target == "*" && request.method == "OPTIONS") {
        resolved.target = "*";
        return resolved;
    }
    if (target.empty() || target.front() != '/')
        return badRequest("the request target must be a path");
    if (target.find('#') != std::string_view::npos)
        return badRequest("the request target must not carry a fragment");
    const auto query = target.find('?');
    std::string error;
    std::optional<std::string> path = removeDotSegments(target.substr(0, query), &error);
    if (!path)
        return badRequest(error);
    resolved.target = std::move(*path);
    if (query != std::string_view::npos)
        resolved.target.append(target.substr(query));
    return resolved;
}

} // namespace bb::proxy
