#include "upstreamrequest.h"

namespace bb::proxy {

QByteArray upstreamRequestHead(const HttpHead &request, std::string_view target, const UpstreamUrl &upstream,
                               const QByteArray &clientAddress)
{
    auto add = [](QByteArray &out, std::string_view text) { out.append(text.data(), qsizetype(text.size())); };
    QByteArray h;
    h.reserve(512);
    add(h, request.method);
    h += ' ';
    add(h, target);
    h += " HTTP/1.1\r\nHost: ";
    add(h, upstream.host);
    if (upstream.port != 80)
        h += ':' + QByteArray::number(upstream.port);
    h += "\r\n";
    // Fields named in Connection are hop-by-hop too; "keep-alive" and
    // "close", the usual values, name none.
    const std::string_view connection = request.field("Connection");
    const bool namesFields = !connection.empty() && qstricmp(std::string(connection).c_str(), "keep-alive") != 0 &&
                             qstricmp(std::string(connection).c_str(), "close") != 0;
    auto namedInConnection = [connection](const std::string &name) {
        std::size_t start = 0;
        while (start < connection.size()) {
            std::size_t end = connection.find(',', start);
            if (end == std::string_view::npos)
                end = connection.size();
            std::string_view token = connection.substr(start, end - start);
            while (!token.empty() && token.front() == ' ')
                token.remove_prefix(1);
            while (!token.empty() && token.back() == ' ')
                token.remove_suffix(1);
            if (token.size() == name.size() && qstrnicmp(token.data(), name.data(), qsizetype(name.size())) == 0)
                return true;
            start = end + 1;
        }
        return false;
    };
    std::string_view forwardedFor;
    std::string_view via;
    for (const auto &[name, value] : request.fields) {
        if (isHopByHop(name) || qstricmp(name.c_str(), "Host") == 0 || qstricmp(name.c_str(), "Expect") == 0 ||
            qstricmp(name.c_str(), "Content-Length") == 0 || qstricmp(name.c_str(), "X-Forwarded-Proto") == 0 ||
            (namesFields && namedInConnection(name)))
            continue;
        if (qstricmp(name.c_str(), "X-Forwarded-For") == 0) {
            forwardedFor = value;
            continue;
        }
        if (qstricmp(name.c_str(), "Via") == 0) {
            via = value;
            continue;
        }
        add(h, name);
        h += ": ";
        add(h, value);
        h += "\r\n";
    }
    h += "X-Forwarded-For: ";
    if (!forwardedFor.empty()) {
        add(h, forwardedFor);
        h += ", ";
    }
    h += clientAddress;
    h += "\r\nX-Forwarded-Proto: http\r\nVia: ";
    if (!via.empty()) {
        add(h, via);
        h += ", ";
    }
    h += "1.1 breakerboard\r\n";
    if (request.chunked)
        h += "Transfer-Encoding: chunked\r\n";
    else if (request.contentLength)
        h += "Content-Length: " + QByteArray::number(qulonglong(*request.contentLength)) + "\r\n";
    h += "Connection: keep-alive\r\n\r\n";
    return h;
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
