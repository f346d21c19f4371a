// What the I/O layer alone costs: three servers that answer every request of
// a keep-alive connection with the same small 200, two worker threads each,
// against nginx doing the same (`return 200`, two workers). One is built on
// QTcpSocket as the proxy's connections are today; one reads and writes the
// socket descriptor itself and is woken by a QSocketNotifier, on the same Qt
// event loop. Requests are framed by the proxy's own parser. wrk with 64
// connections, alternating runs, medians.
#include "benchtesting.h"
#include "nginxprocess.h"

#include "proxy/httpparser.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <limits>
#include <memory>

using namespace bb::testing;

namespace {
constexpr int kRounds = 5;
const QByteArray kAnswer = QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhello\n");

// Whole requests in what arrived (kept across reads by the parser): one
// answer each.
class Framer {
public:
    int take(const char *data, std::size_t size)
    {
        int complete = 0;
        while (size > 0) {
            const std::size_t used = m_parser.feed(data, size);
            data += used;
            size -= used;
            if (m_parser.error() != bb::proxy::ParseError::None)
                return -1;
            if (!m_parser.done())
                break;
            ++complete;
            m_parser.reset();
        }
        return complete;
    }

private:
    bb::proxy::HttpParser m_parser{true, 16 * 1024, std::numeric_limits<std::uint64_t>::max()};
};

QByteArray answers(int n)
{
    QByteArray out;
    out.reserve(kAnswer.size() * n);
    for (int i = 0; i < n; ++i)
        out += kAnswer;
    return out;
}

class SocketConnection : public QObject {
public:
    explicit SocketConnection(int fd) : m_socket(new QTcpSocket(this))
    {
        m_socket->setSocketDescriptor(fd);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_socket, &QTcpSocket::readyRead, this, [this] {
            const QByteArray in = m_socket->readAll();
            const int n = m_framer.take(in.constData(), std::size_t(in.size()));
            if (n < 0)
                return m_socket->abort();
            m_socket->write(answers(n));
            m_socket->flush();
        });
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    }

private:
    QTcpSocket *m_socket;
    Framer m_framer;
};

class DescriptorConnection : public QObject {
public:
    explicit DescriptorConnection(int fd) : m_fd(fd), m_readable(fd, QSocketNotifier::Read)
    {
        const int on = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        connect(&m_readable, &QSocketNotifier::activated, this, [this] {
            char buffer[16 * 1024];
            const ssize_t got = ::read(m_fd, buffer, sizeof buffer);
            const int n = got > 0 ? m_framer.take(buffer, std::size_t(got)) : -1;
            if (n < 0) {
                m_readable.setEnabled(false);
                ::close(m_fd);
                deleteLater();
                return;
            }
            const QByteArray out = answers(n);
            // Small answers on loopback: the socket takes them whole.
            if (::write(m_fd, out.constData(), std::size_t(out.size())) != out.size())
                std::fprintf(stderr, "bench_io: a short write\n");
        });
    }

private:
    int m_fd;
    QSocketNotifier m_readable;
    Framer m_framer;
};

// Workers share the port through SO_REUSEPORT, each with its own listener
// and event loop.
int listenOn(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&at), sizeof at) != 0 || ::listen(fd, 1024) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct Server {
    quint16 port = freePort();
    std::vector<std::unique_ptr<QThread>> workers;

    Server() = default;
    Server(Server &&) = default;
    ~Server()
    {
        for (const auto &w : workers) {
            w->quit(); // ends the worker's event loop
            w->wait();
        }
    }

    template <typename Connection>
    static Server start()
    {
        Server s;
        for (int w = 0; w < 2; ++w) {
            const int listener = listenOn(s.port);
            s.workers.emplace_back(QThread::create([listener] {
                QSocketNotifier incoming(listener, QSocketNotifier::Read);
                QObject::connect(&incoming, &QSocketNotifier::activated, [listener] {
                    int fd;
                    while ((fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0)
                        new Connection(fd);
                });
                QEventLoop().exec();
            }));
            s.workers.back()->start();
        }
        return s;
    }
};
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (NginxProcess::binary().isEmpty() || QStandardPaths::findExecutable(QStringLiteral("wrk")).isEmpty()) {
        std::fprintf(stderr, "bench_io needs nginx and wrk (apt-get install nginx wrk)\n");
        return 1;
    }
    NginxProcess nginx(QStringLiteral("    location / { return 200 \"hello\\n\"; }\n"), {}, 2);
    if (!nginx.started()) {
        std::fprintf(stderr, "nginx did not start: %s\n", qPrintable(nginx.error()));
        return 1;
    }
    const Server sockets = Server::start<SocketConnection>();
    const Server descriptors = Server::start<DescriptorConnection>();
    QThread::msleep(200);
    const auto [viaSockets, nginxA] = alternatingMedians(sockets.port, nginx.port(), kRounds);
    const auto [viaDescriptors, nginxB] = alternatingMedians(descriptors.port, nginx.port(), kRounds);
    std::printf("bench: io_nginx_rps %.0f req/s\n", (nginxA.rps + nginxB.rps) / 2);
    std::printf("bench: io_qtcpsocket_rps %.0f req/s\n", viaSockets.rps);
    std::printf("bench: io_qtcpsocket_rps_ratio_vs_nginx %.3f ratio\n", viaSockets.rps / nginxA.rps);
    std::printf("bench: io_descriptor_rps %.0f req/s\n", viaDescriptors.rps);
    std::printf("bench: io_descriptor_rps_ratio_vs_nginx %.3f ratio\n", viaDescriptors.rps / nginxB.rps);
    return 0;
}
