#include "messageframing.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace bb::proxy {

namespace {

bool isTchar(unsigned char c)
{
    static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
    return std::isalnum(c) || kSymbols.find(char(c)) != std::string_view::npos;
}

FramingVerdict refused(ParseError e, std::string text) { return {e, std::move(text)}; }
} // namespace

FramingVerdict checkTransferEncoding(const std::string &transferEncoding, bool hasContentLength, int version)
{
    if (transferEncoding.empty())
        return {};
    if (version < 11)
        return refused(ParseError::BadMessage, "Transfer-Encoding in an HTTP/1.0 message");
    if (hasContentLength)
        return refused(ParseError::BadMessage, "both Content-Length and Transfer-Encoding");
    std::vector<std::string_view> codings;
    std::string_view rest(transferEncoding);
    for (;;) {
        const auto comma = rest.find(',');
        const std::string_view coding = trimOws(rest.substr(0, comma));
        if (coding.empty() || !std::all_of(coding.begin(), coding.end(), [](char c) { return isTchar(c); }))
            return refused(ParseError::BadMessage,
                           "Transfer-Encoding \"" + transferEncoding + "\" is not a list of transfer codings");
        codings.push_back(coding);
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }
    const auto isChunked = [](std::string_view c) { return equalsIgnoringCase(c, "chunked"); };
    if (!isChunked(codings.back()))
        return refused(ParseError::BadMessage, "chunked is not the final transfer coding");
    if (codings.size() == 1)
        return {};
    if (std::count_if(codings.begin(), codings.end(), isChunked) > 1)
        return refused(ParseError::BadMessage, "chunked applied more than once");
    return refused(ParseError::NotImplemented,
                   "transfer coding \"" + std::string(codings.front()) + "\" is not supported; only chunked is");
}

FramingVerdict checkHost(const HttpHead &request)
{
    const auto hosts = std::count_if(request.fields.begin(), request.fields.end(),
                                     [](const auto &f) { return equalsIgnoringCase(f.first, "Host"); });
    if (hosts > 1)
        return refused(ParseError::BadMessage, "more than one Host field");
    if (hosts == 0)
        return request.version >= 11 ? refused(ParseError::BadMessage, "an HTTP/1.1 request without Host") : FramingVerdict{};
    static constexpr std::string_view kAuthoritySymbols = "-._~!$&'()*+,;=:%[]";
    const std::string_view host = request.field("Host");
    if (!std::all_of(host.begin(), host.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || kAuthoritySymbols.find(c) != std::string_view::npos;
        }))
        return refused(ParseError::BadMessage, "the Host field is not a host name");
    return {};
}

} // namespace bb::proxy
