// HTTP/1.1 message parsing for the proxy, on Boost.Beast's parser: a message
// head with its fields, and the decoded body handed out piece by piece so
// that bodies stream through in a bounded window. On top of Beast, it
// refuses what request smuggling is made of (messageframing.h): duplicate
// Content-Length, lists in Content-Length, any Transfer-Encoding but the one
// coding chunked, obs-folded header lines, and a request without exactly one
// Host.
#pragma once

#include <QByteArray>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bb::proxy {

struct HttpHead {
    std::string method; // requests
    std::string target;
    int status = 0;     // responses
    std::string reason;
    int version = 11; // 10 or 11
    std::vector<std::pair<std::string, std::string>> fields;
    bool keepAlive = true;
    bool chunked = false;
    std::optional<std::uint64_t> contentLength;

    // The first value of a field, compared without case; empty when absent.
    std::string_view field(std::string_view name) const;
    bool hasField(std::string_view name) const;
};

enum class ParseError {
    None,
    BadMessage,     // 400 for requests, 502 for responses
    HeaderTooLarge, // 431
    BodyTooLarge,   // 413
    NotImplemented, // 501: a transfer coding the proxy does not decode
};

// The status a request that failed to parse is answered with.
int statusFor(ParseError e);
const char *reasonFor(ParseError e);

class HttpParser {
public:
    HttpParser(bool isRequest, std::uint32_t headerLimit, std::uint64_t bodyLimit);
    ~HttpParser();

    // Parses what it can of data; returns how many bytes it consumed. Body
    // bytes go to body() until taken.
    std::size_t feed(const char *data, std::size_t size);
    // The peer closed: ends a body that runs until the connection closes.
    void feedEof();

    bool headDone() const;
    bool done() const;
    ParseError error() const { return m_error; }
    const std::string &errorText() const { return m_errorText; }
    const HttpHead &head() const { return m_head; }
    // Moves the head out (the parser keeps parsing the body without it).
    HttpHead takeHead() { return std::move(m_head); }
    // A head taken out and done with: its field list and strings serve the
    // heads to come, which then cost no allocation.
    void recycle(HttpHead &&head);
    // True when the message body ends only when the connection closes.
    bool needEof() const;
    // A response to HEAD, or a 1xx/204/304, has no body whatever its fields say.
    void skipBody();

    QByteArray &body() { return m_body; }

    // Starts on the next message of the same connection.
    void reset();
    // Stops parsing with this error (the first one given stays).
    void fail(ParseError e, std::string text);
    // Beast's callback: one field of the head being parsed.
    void addField(std::string_view name, std::string_view value);

private:
    class Impl;
    friend class Impl;

    const bool m_isRequest;
    const std::uint32_t m_headerLimit;
    const std::uint64_t m_bodyLimit;
    std::unique_ptr<Impl> m_impl;
    HttpHead m_head;
    QByteArray m_body;
    ParseError m_error = ParseError::None;
    std::string m_errorText;
    int m_contentLengthFields = 0;
    using Fields = std::vector<std::pair<std::string, std::string>>;
    Fields m_spareList;    // an empty field list with room, for the next head
    Fields m_spareStrings; // fields of heads gone, whose strings keep their room

    void keepStrings(Fields &fields);
};

bool equalsIgnoringCase(std::string_view a, std::string_view b);
// Without the optional whitespace (spaces, tabs) around a list element.
std::string_view trimOws(std::string_view s);

// Methods a retry may repeat (RFC 7231 4.2.2).
bool isIdempotent(std::string_view method);

// Hop-by-hop fields (RFC 7230 6.1) that a proxy never forwards.
bool isHopByHop(std::string_view name);

} // namespace bb::proxy
