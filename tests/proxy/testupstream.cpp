#include "testupstream.h"

#include "proxy/httpparser.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <limits>

namespace bb::testing {

using proxy::HttpHead;
using proxy::HttpParser;

class UpstreamServer : public QTcpServer {
public:
    explicit UpstreamServer(TestUpstream &owner) : m_owner(owner) {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        m_owner.m_connections.fetch_add(1);
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        auto parser = std::make_shared<HttpParser>(true, 64 * 1024, std::numeric_limits<std::uint64_t>::max());
        auto buffer = std::make_shared<QByteArray>();
        auto body = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, parser, buffer, body] {
            buffer->append(socket->readAll());
            while (!buffer->isEmpty()) {
                const std::size_t used = parser->feed(buffer->constData(), std::size_t(buffer->size()));
                buffer->remove(0, qsizetype(used));
                body->append(parser->body());
                parser->body().clear();
                if (parser->error() != proxy::ParseError::None) {
                    socket->abort();
                    return;
                }
                if (!parser->done())
                    return;
                const HttpHead head = parser->head();
                const QByteArray requestBody = *body;
                body->clear();
                parser->reset();
                handle(socket, head, requestBody);
            }
        });
    }

private:
    static QByteArray response(int status, const QByteArray &body, const QByteArray &extra = {})
    {
        return "HTTP/1.1 " + QByteArray::number(status) + " Test\r\nContent-Length: " + QByteArray::number(body.size()) +
               "\r\n" + extra + "\r\n" + body;
    }

    void handle(QTcpSocket *socket, const HttpHead &head, const QByteArray &body)
    {
        const QString target = QString::fromStdString(head.target);
        const QString path = target.section(QLatin1Char('?'), 0, 0);
        m_owner.countRequest(path);
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        const QString first = parts.value(0);
        if (first == QLatin1String("ok")) {
            socket->write(response(200, "ok"));
        } else if (first == QLatin1String("status")) {
            socket->write(response(parts.value(1).toInt(), "status " + parts.value(1).toLatin1()));
        } else if (first == QLatin1String("echo")) {
            socket->write(response(200, body));
        } else if (first == QLatin1String("headers")) {
            QByteArray text = QByteArray::fromStdString(head.method + " " + head.target) + "\n";
            for (const auto &[k, v] : head.fields)
                text += QByteArray::fromStdString(k) + ": " + QByteArray::fromStdString(v) + "\n";
            socket->write(response(200, text));
        } else if (first == QLatin1String("chunked")) {
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\nalpha\r\n4\r\nbeta\r\n5\r\ngamma\r\n0\r\n\r\n");
        } else if (first == QLatin1String("big")) {
            const qint64 size = parts.value(1).toLongLong();
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(size) + "\r\n\r\n");
            QByteArray block(64 * 1024, 'b');
            for (int i = 0; i < block.size(); ++i)
                block[i] = char('a' + i % 26);
            for (qint64 sent = 0; sent < size; sent += block.size())
                socket->write(block.constData(), std::min<qint64>(block.size(), size - sent));
        } else if (first == QLatin1String("slow")) {
            QTimer::singleShot(parts.value(1).toInt(), socket, [socket] { socket->write(response(200, "slow")); });
        } else if (first == QLatin1String("hang")) {
            // never answers
        } else if (first == QLatin1String("reset")) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten..");
            socket->flush();
            QTimer::singleShot(20, socket, [socket] { socket->abort(); });
        } else if (first == QLatin1String("garbage")) {
            socket->write("THIS IS NOT HTTP AT ALL\r\n\r\n");
            socket->disconnectFromHost();
        } else if (first == QLatin1String("drip")) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            auto *timer = new QTimer(socket);
            connect(timer, &QTimer::timeout, socket, [socket] { socket->write("d"); });
            timer->start(100);
        } else if (first == QLatin1String("close")) {
            socket->write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody until close");
            socket->disconnectFromHost();
        } else {
            socket->write(response(200, path.toUtf8()));
        }
    }

    TestUpstream &m_owner;
};

TestUpstream::TestUpstream()
{
    // Everything of the server is created on, and lives on, its own thread.
    m_server = new QObject;
    m_server->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_server,
        [this] {
            auto *server = new UpstreamServer(*this);
            server->setParent(m_server);
            server->listen(QHostAddress::LocalHost, 0);
            m_port = server->serverPort();
        },
        Qt::BlockingQueuedConnection);
}

TestUpstream::~TestUpstream()
{
    QMetaObject::invokeMethod(m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void TestUpstream::countRequest(const QString &path)
{
    QMutexLocker lock(&m_mutex);
    ++m_requests[path];
}

int TestUpstream::requests(const QString &path) const
{
    QMutexLocker lock(&m_mutex);
    return m_requests.value(path);
}

int TestUpstream::totalRequests() const
{
    QMutexLocker lock(&m_mutex);
    int n = 0;
    for (int v : m_requests)
        n += v;
    return n;
}

} // namespace bb::testing
