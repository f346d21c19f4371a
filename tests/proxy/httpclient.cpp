#include "httpclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSslSocket>

#include <limits>

namespace bb::testing {

HttpClient::HttpClient(quint16 port, bool servedHere) : m_socket(std::make_unique<QTcpSocket>()), m_servedHere(servedHere)
{
    m_socket->connectToHost(QHostAddress::LocalHost, port);
    m_socket->waitForConnected(5000);
}

HttpClient::HttpClient(quint16 port, const QSslConfiguration &tls, bool servedHere, const QString &peerName)
    : m_servedHere(servedHere)
{
    auto socket = std::make_unique<QSslSocket>();
    socket->setSslConfiguration(tls);
    QObject::connect(socket.get(), &QSslSocket::sslErrors, [this](const QList<QSslError> &e) { m_sslErrors += e; });
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port, peerName);
    QElapsedTimer clock;
    clock.start();
    // A server on this thread needs its event loop turned to answer the handshake.
    while (!socket->isEncrypted() && socket->state() != QAbstractSocket::UnconnectedState && clock.elapsed() < 5000) {
        if (servedHere)
            QCoreApplication::processEvents();
        socket->waitForEncrypted(servedHere ? 2 : 5000);
    }
    if (!socket->isEncrypted())
        socket->abort();
    m_socket = std::move(socket);
}

HttpClient::~HttpClient() = default;


void HttpClient::send(const QByteArray &raw)
{
    m_socket->write(raw);
    m_socket->waitForBytesWritten(5000);
}

bool HttpClient::waitForReadyRead(int timeoutMs)
{
    if (!m_servedHere)
        return m_socket->waitForReadyRead(timeoutMs);
    QCoreApplication::processEvents();
    return m_socket->waitForReadyRead(std::min(timeoutMs, 2));
}

std::optional<Response> HttpClient::read(int timeoutMs, bool headRequest)
{
    proxy::HttpParser parser(false, 1 << 20, std::numeric_limits<std::uint64_t>::max());
    if (headRequest)
        parser.skipBody();
    Response r;
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        if (!m_buffer.isEmpty()) {
            const std::size_t used = parser.feed(m_buffer.constData(), std::size_t(m_buffer.size()));
            m_buffer.remove(0, qsizetype(used));
            r.body += parser.body();
            parser.body().clear();
            if (parser.error() != proxy::ParseError::None)
                return std::nullopt;
            if (parser.done()) {
                r.head = parser.head();
                r.status = r.head.status;
                return r;
            }
        }
        const int left = timeoutMs - int(clock.elapsed());
        if (left <= 0)
            return std::nullopt;
        if (m_socket->bytesAvailable() == 0 && !waitForReadyRead(left)) {
            if (m_socket->state() != QAbstractSocket::ConnectedState && parser.headDone() && parser.needEof()) {
                parser.feedEof();
                r.body += parser.body();
                r.head = parser.head();
                r.status = r.head.status;
                return r;
            }
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                return std::nullopt;
            continue;
        }
        m_buffer += m_socket->readAll();
    }
}

std::optional<Response> HttpClient::get(const QByteArray &path, const QByteArray &extraHeaders)
{
    send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n");
    return read();
}

std::optional<Response> HttpClient::request(const QByteArray &method, const QByteArray &path, const QByteArray &body,
                                           const QByteArray &extraHeaders)
{
    send(method + ' ' + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + QByteArray::number(body.size()) +
         "\r\n" + extraHeaders + "\r\n" + body);
    return read(5000, method == "HEAD");
}

bool HttpClient::waitClosed(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (m_socket->state() == QAbstractSocket::ConnectedState && clock.elapsed() < timeoutMs) {
        if (waitForReadyRead(int(timeoutMs - clock.elapsed())))
            m_buffer += m_socket->readAll();
    }
    return m_socket->state() != QAbstractSocket::ConnectedState;
}

bool HttpClient::readUntil(QByteArray &seen, const QByteArray &text, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    seen += std::exchange(m_buffer, {}) + m_socket->readAll();
    while (!seen.contains(text) && m_socket->state() == QAbstractSocket::ConnectedState && clock.elapsed() < timeoutMs) {
        waitForReadyRead(int(timeoutMs - clock.elapsed()));
        seen += m_socket->readAll();
    }
    return seen.contains(text);
}

QByteArray HttpClient::readUntilClosed(int timeoutMs)
{
    waitClosed(timeoutMs);
    return std::exchange(m_buffer, {}) + m_socket->readAll();
}

QString largeBodiesRoundTrip(HttpClient &client, const QByteArray &prefix)
{
    const qint64 size = 24 * 1024 * 1024;
    auto r = client.get(prefix + "/big/" + QByteArray::number(size));
    if (!r || r->status != 200 || r->body.size() != size)
        return QStringLiteral("download: status %1, %2 of %3 bytes")
            .arg(r ? r->status : 0)
            .arg(r ? r->body.size() : 0)
            .arg(size);
    // TestUpstream's /big/N repeats a-z over each 64 KiB.
    if (r->body.at(27) != 'b' || r->body.at(size - 1) != char('a' + (size - 1) % (64 * 1024) % 26))
        return QStringLiteral("download: the bytes are not the upstream's");

    QByteArray upload(8 * 1024 * 1024, 'u');
    for (int i = 0; i < upload.size(); i += 4096)
        upload[i] = char('0' + i / 4096 % 10);
    client.send("POST " + prefix + "/echo HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                QByteArray::number(upload.size()) + "\r\n\r\n" + upload);
    r = client.read(20000);
    if (!r || r->status != 200 || r->body != upload)
        return QStringLiteral("upload: status %1, %2 bytes back of %3, %4")
            .arg(r ? r->status : 0)
            .arg(r ? r->body.size() : 0)
            .arg(upload.size())
            .arg(r && r->body == upload ? QStringLiteral("the same") : QStringLiteral("not the same"));
    return {};
}

} // namespace bb::testing
