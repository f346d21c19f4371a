// How a message's body is framed, judged as RFC 9112 section 6 asks of a
// proxy: a Transfer-Encoding is read only when it is exactly the one coding
// "chunked"; anything else that could make two parsers disagree on where a
// message ends is refused before a byte of it is forwarded.
#pragma once

#include "httpparser.h"

#include <string>

namespace bb::proxy {

struct FramingVerdict {
    ParseError error = ParseError::None;
    std::string text;
    explicit operator bool() const { return error == ParseError::None; }
};

// transferEncoding: every Transfer-Encoding field's value, joined with ", "
// (empty when there is none). version: 10 or 11.
FramingVerdict checkTransferEncoding(const std::string &transferEncoding, bool hasContentLength, int version);

// HTTP/1.1 requests carry exactly one Host, with a value that can be an
// authority (RFC 9112 section 3.2).
FramingVerdict checkHost(const HttpHead &request);

} // namespace bb::proxy
