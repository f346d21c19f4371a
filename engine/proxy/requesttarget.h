// What the proxy makes of a request's target before it routes it: the host
// and the origin-form path with its dot-segments resolved (RFC 3986 section
// 5.2.4), or why the request is refused. Routes and prefix replacement see
// only the resolved path, so "/api/../admin" is "/admin" everywhere.
#pragma once

#include "httpparser.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace bb::proxy {

struct ResolvedTarget {
    std::string host;   // without port
    std::string target; // origin-form: the resolved path, then the query as sent
};

struct TargetRefusal {
    enum class Kind { BadRequest, NotServed }; // counted as a bad request, or as refused
    Kind kind = Kind::BadRequest;
    int status = 400;
    const char *reason = "Bad Request";
    std::string message;
};

using TargetResolution = std::variant<ResolvedTarget, TargetRefusal>;

// servesHost: whether an absolute-form target's host is one this proxy serves.
TargetResolution resolveTarget(const HttpHead &request, const std::function<bool(std::string_view)> &servesHost);

// The path (no query) with "." and ".." segments, plain or percent-encoded,
// resolved; nullopt when it climbs above the root or hides a dot-segment
// behind an encoded slash or a backslash. error says which.
std::optional<std::string> removeDotSegments(std::string_view path, std::string *error);

// The host of a Host field or an authority, without port or IPv6 brackets.
std::string_view hostWithoutPort(std::string_view authority);

} // namespace bb::proxy
