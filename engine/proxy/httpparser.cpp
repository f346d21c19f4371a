#include "httpparser.h"
#include "messageframing.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cctype>

namespace bb::proxy {

namespace {
constexpr std::size_t kFieldsReserved = 16;
constexpr std::size_t kKeptStringRoom = 256;
}

namespace http = boost::beast::http;
using boost::beast::iequals;
using boost::beast::error_code;
using boost::beast::string_view;

std::string_view HttpHead::field(std::string_view name) const
{
    for (const auto &[k, v] : fields) {
        if (iequals(string_view(k.data(), k.size()), string_view(name.data(), name.size())))
            return v;
    }
    return {};
}

bool HttpHead::hasField(std::string_view name) const
{
    return std::any_of(fields.begin(), fields.end(), [name](const auto &kv) {
        return iequals(string_view(kv.first.data(), kv.first.size()), string_view(name.data(), name.size()));
    });
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    // ASCII only, as field names are: std::tolower asks the locale for each character.
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c; };
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trimOws(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

int statusFor(ParseError e)
{
    switch (e) {
    case ParseError::None: return 200;
    case ParseError::BadMessage: return 400;
    case ParseError::HeaderTooLarge: return 431;
    case ParseError::BodyTooLarge: return 413;
    case ParseError::NotImplemented: return 501;
    }
    return 400;
}

const char *reasonFor(ParseError e)
{
    switch (e) {
    case ParseError::None: return "OK";
    case ParseError::BadMessage: return "Bad Request";
    case ParseError::HeaderTooLarge: return "Request Header Fields Too Large";
    case ParseError::BodyTooLarge: return "Content Too Large";
    case ParseError::NotImplemented: return "Not Implemented";
    }
    return "Bad Request";
}

bool isIdempotent(std::string_view m)
{
    return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "PUT" || m == "DELETE" || m == "TRACE";
}

bool isHopByHop(std::string_view name)
{
    static const char *const kHop[] = {"connection", "keep-alive", "proxy-connection", "te", "trailer",
                                       "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization"};
    for (const char *h : kHop) {
        if (iequals(string_view(name.data(), name.size()), string_view(h)))
            return true;
    }
    return false;
}

namespace {
template <bool isRequest> class BeastParser : public http::basic_parser<isRequest> {
public:
    explicit BeastParser(HttpParser &owner, HttpHead &head, QByteArray &body, int &contentLengths)
        : m_owner(owner), m_head(head), m_body(body), m_contentLengths(contentLengths)
    {
    }

private:
    void on_request_impl(http::verb, string_view method, string_view target, int version, error_code &) override
    {
        m_head.method.assign(method.data(), method.size());
        m_head.target.assign(target.data(), target.size());
        m_head.version = version;
    }
    void on_response_impl(int code, string_view reason, int version, error_code &ec) override
    {
        // Beast takes any three digits; RFC 9110 defines 100 to 599.
        if (code < 100 || code > 599) {
            m_owner.fail(ParseError::BadMessage, "status " + std::to_string(code) + " is not an HTTP status");
            ec = http::error::bad_status;
            return;
        }
        m_head.status = code;
        m_head.reason.assign(reason.data(), reason.size());
        m_head.version = version;
    }
    void on_field_impl(http::field f, string_view name, string_view value, error_code &ec) override
    {
        if (f == http::field::content_length) {
            // Beast accepts "5, 5" and a repeated equal value; a proxy must not.
            if (++m_contentLengths > 1 || value.find(',') != string_view::npos) {
                ec = http::error::bad_content_length;
                return;
            }
        }
        if (f == http::field::transfer_encoding) {
            if (!m_transferEncoding.empty())
                m_transferEncoding += ", ";
            m_transferEncoding.append(value.data(), value.size());
        }
        m_owner.addField(std::string_view(name.data(), name.size()), std::string_view(value.data(), value.size()));
    }
    void on_header_impl(error_code &ec) override
    {
        FramingVerdict verdict =
            checkTransferEncoding(m_transferEncoding, this->content_length().has_value(), m_head.version);
        if (verdict && isRequest)
            verdict = checkHost(m_head);
        if (!verdict) {
            m_owner.fail(verdict.error, std::move(verdict.text));
            ec = http::error::bad_transfer_encoding;
            return;
        }
        m_head.keepAlive = this->keep_alive();
        m_head.chunked = this->chunked();
        if (auto len = this->content_length())
            m_head.contentLength = *len;
    }
    void on_body_init_impl(const boost::optional<std::uint64_t> &, error_code &) override {}
    std::size_t on_body_impl(string_view body, error_code &) override
    {
        m_body.append(body.data(), qsizetype(body.size()));
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code &) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code &) override
    {
        m_body.append(body.data(), qsizetype(body.size()));
        return body.size();
    }
    void on_finish_impl(error_code &) override {}

    HttpParser &m_owner;
    HttpHead &m_head;
    QByteArray &m_body;
    int &m_contentLengths;
    std::string m_transferEncoding; // every Transfer-Encoding field, joined
};
} // namespace

// Beast's parsers cannot be reset; a new one is built in place for every
// message, without going to the heap.
class HttpParser::Impl {
public:
    Impl(HttpParser &owner, bool isRequest) : m_owner(owner), m_isRequest(isRequest) {}
    void renew()
    {
        if (m_isRequest)
            request.emplace(m_owner, m_owner.m_head, m_owner.m_body, m_owner.m_contentLengthFields);
        else
            response.emplace(m_owner, m_owner.m_head, m_owner.m_body, m_owner.m_contentLengthFields);
    }
    template <typename F> auto with(F &&f)
    {
        return m_isRequest ? f(*request) : f(*response);
    }
    std::optional<BeastParser<true>> request;
    std::optional<BeastParser<false>> response;

private:
    HttpParser &m_owner;
    const bool m_isRequest;
};

HttpParser::HttpParser(bool isRequest, std::uint32_t headerLimit, std::uint64_t bodyLimit)
    : m_isRequest(isRequest), m_headerLimit(headerLimit), m_bodyLimit(bodyLimit)
{
    reset();
}

HttpParser::~HttpParser() = default;

void HttpParser::reset()
{
    // The field list and its strings keep their room from one message to
    // the next (or come back with recycle() once a head taken out is done).
    Fields fields = std::move(m_head.fields);
    keepStrings(fields);
    if (fields.capacity() == 0)
        fields = std::move(m_spareList);
    m_head = HttpHead{};
    m_head.fields = std::move(fields);
    m_body.clear();
    m_error = ParseError::None;
    m_errorText.clear();
    m_contentLengthFields = 0;
    if (!m_impl)
        m_impl = std::make_unique<Impl>(*this, m_isRequest);
    m_impl->renew();
    m_impl->with([this](auto &p) {
        p.header_limit(m_headerLimit);
        p.body_limit(m_bodyLimit);
        p.eager(true);
    });
}

void HttpParser::recycle(HttpHead &&head)
{
    keepStrings(head.fields);
    if (m_spareList.capacity() == 0)
        m_spareList = std::move(head.fields);
}

void HttpParser::keepStrings(Fields &fields)
{
    if (m_spareStrings.capacity() == 0 && !fields.empty())
        m_spareStrings.reserve(kFieldsReserved);
    for (auto &field : fields) {
        if (m_spareStrings.size() == kFieldsReserved)
            break;
        // Only a field with room on the heap is worth keeping (short strings
        // live inside the string itself), and only room of a usual size.
        const std::size_t inside = std::string().capacity();
        const bool onHeap = field.first.capacity() > inside || field.second.capacity() > inside;
        if (onHeap && field.first.capacity() <= kKeptStringRoom && field.second.capacity() <= kKeptStringRoom)
            m_spareStrings.push_back(std::move(field));
    }
    fields.clear();
}

void HttpParser::addField(std::string_view name, std::string_view value)
{
    Fields &fields = m_head.fields;
    if (fields.capacity() == 0)
        fields.reserve(kFieldsReserved);
    if (m_spareStrings.empty()) {
        fields.emplace_back(std::string(name), std::string(value));
        return;
    }
    auto field = std::move(m_spareStrings.back());
    m_spareStrings.pop_back();
    field.first.assign(name);
    field.second.assign(value);
    fields.push_back(std::move(field));
}

void HttpParser::fail(ParseError e, std::string text)
{
    if (m_error != ParseError::None)
        return;
    m_error = e;
    m_errorText = std::move(text);
}

bool HttpParser::headDone() const
{
    return m_impl->with([](auto &p) { return p.is_header_done(); });
}

bool HttpParser::done() const
{
    return m_impl->with([](auto &p) { return p.is_done(); });
}

bool HttpParser::needEof() const
{
    return m_impl->with([](auto &p) { return p.need_eof(); });
}

void HttpParser::skipBody()
{
    m_impl->with([](auto &p) { p.skip(true); });
}

std::size_t HttpParser::feed(const char *data, std::size_t size)
{
    if (m_error != ParseError::None || done())
        return 0;
    if (!headDone()) {
        // obs-fold (a header line starting with a space or tab) is refused
        // outright: it hides fields from parsers that read it differently.
        const std::string_view view(data, size);
        const auto end = view.find("\r\n\r\n");
        const std::string_view headBytes = view.substr(0, end == std::string_view::npos ? size : end);
        if (headBytes.find("\r\n ") != std::string_view::npos || headBytes.find("\r\n\t") != std::string_view::npos) {
            fail(ParseError::BadMessage, "obsolete line folding in a header field");
            return 0;
        }
    }
    std::size_t used = 0;
    while (used < size && !done()) {
        error_code ec;
        const std::size_t n = m_impl->with([&](auto &p) {
            return p.put(boost::asio::const_buffer(data + used, size - used), ec);
        });
        used += n;
        if (ec == http::error::need_more)
            break;
        if (ec) {
            if (ec == http::error::header_limit)
                fail(ParseError::HeaderTooLarge, "header larger than " + std::to_string(m_headerLimit) + " bytes");
            else if (ec == http::error::body_limit)
                fail(ParseError::BodyTooLarge, "body larger than " + std::to_string(m_bodyLimit) + " bytes");
            else
                fail(ParseError::BadMessage, ec.message());
            break;
        }
        if (n == 0)
            break;
    }
    return used;
}

void HttpParser::feedEof()
{
    error_code ec;
    m_impl->with([&](auto &p) { p.put_eof(ec); });
    if (ec && m_error == ParseError::None)
        fail(ParseError::BadMessage, "connection closed before the message was complete");
}

} // namespace bb::proxy
