#include "upstreamrequest.h"
#include "headwriter.h"

namespace bb::proxy {

QByteArray upstreamRequestHead(const HttpHead &request, std::string_view target, const UpstreamUrl &upstream,
                               const QByteArray &clientAddress)
{
    HeadWriter h;
    h << request.method << ' ' << target << " HTTP/1.1\r\nHost: " << upstream.host;
    if (upstream.port != upstream.defaultPort())
        (h << ':').number(upstream.port);
    h << "\r\n";
    // Fields named in any Connection field are hop-by-hop too.
    std::string connection;
    for (const auto &[name, value] : request.fields) {
        if (equalsIgnoringCase(name, "Connection"))
            connection.append(value).append(",");
    }
    auto namedInConnection = [&connection](std::string_view name) {
        std::string_view rest(connection);
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            if (equalsIgnoringCase(trimOws(rest.substr(0, comma)), name))
                return true;
            rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        }
        return false;
    };
    // Repeated list fields are one list (RFC 9110 section 5.3), extended by this hop.
    std::string forwardedFor;
    std::string via;
    const auto extend = [](std::string &list, std::string_view value) {
        if (!list.empty())
            list += ", ";
        list.append(value);
    };
    for (const auto &[name, value] : request.fields) {
        if (isHopByHop(name) || equalsIgnoringCase(name, "Host") || equalsIgnoringCase(name, "Expect") ||
            equalsIgnoringCase(name, "Content-Length") || equalsIgnoringCase(name, "X-Forwarded-Proto") ||
            namedInConnection(name))
            continue;
        if (equalsIgnoringCase(name, "X-Forwarded-For")) {
            extend(forwardedFor, value);
            continue;
        }
        if (equalsIgnoringCase(name, "Via")) {
            extend(via, value);
            continue;
        }
        h << name << ": " << value << "\r\n";
    }
    h << "X-Forwarded-For: ";
    if (!forwardedFor.empty())
        h << forwardedFor << ", ";
    h << clientAddress << "\r\nX-Forwarded-Proto: http\r\nVia: ";
    if (!via.empty())
        h << via << ", ";
    h << "1.1 breakerboard\r\n";
    if (request.chunked)
        h << "Transfer-Encoding: chunked\r\n";
    else if (request.contentLength)
        (h << "Content-Length: ").number(*request.contentLength) << "\r\n";
    h << "Connection: keep-alive\r\n\r\n";
    return h.take();
}

QByteArray frameRequestBody(bool chunked, const QByteArray &piece, bool last)
{
    if (!chunked)
        return piece;
    QByteArray out;
    if (!piece.isEmpty())
        out += QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n";
    if (last)
        out += "0\r\n\r\n";
    return out;
}

} // namespace bb::proxy
