// What the I/O layer alone costs: servers that answer every request of a
// keep-alive connection with the same small 200, two worker threads each,
// against nginx doing the same (`return 200`, two workers). One is built on
// QTcpSocket, as the proxy's connections were; one reads and writes the
// socket descriptor itself and is woken by a QSocketNotifier, on the same Qt
// event loop (what DescriptorSocket does for the proxy now, here bare). Requests are framed by the proxy's own parser. Then the same
// two ways as relays of bytes between each client connection and one
// upstream connection of its own (no HTTP at all: the ceiling of any proxy
// on that I/O), against nginx proxying to the same upstream. wrk with 64
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

// A client connection and an upstream connection of its own, each side's
// bytes written to the other as they come.
int connectUpstream(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(port);
    at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&at), sizeof at) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

quint16 g_upstreamPort = 0; // set before the relays start

class SocketRelay : public QObject {
public:
    explicit SocketRelay(int fd) : m_client(new QTcpSocket(this)), m_upstream(new QTcpSocket(this))
    {
        m_client->setSocketDescriptor(fd);
        m_upstream->setSocketDescriptor(connectUpstream(g_upstreamPort));
        for (QTcpSocket *s : {m_client, m_upstream}) {
            s->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            QTcpSocket *other = s == m_client ? m_upstream : m_client;
            connect(s, &QTcpSocket::readyRead, this, [s, other] {
                other->write(s->readAll());
                other->flush();
            });
            connect(s, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        }
    }

private:
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
};

class DescriptorRelay : public QObject {
public:
    explicit DescriptorRelay(int fd)
        : m_fds{fd, connectUpstream(g_upstreamPort)}
        , m_readable{std::make_unique<QSocketNotifier>(m_fds[0], QSocketNotifier::Read),
                     std::make_unique<QSocketNotifier>(m_fds[1], QSocketNotifier::Read)}
    {
        for (int side = 0; side < 2; ++side) {
            const int on = 1;
            ::setsockopt(m_fds[side], IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
            connect(m_readable[side].get(), &QSocketNotifier::activated, this, [this, side] {
                char buffer[16 * 1024];
                const ssize_t got = ::read(m_fds[side], buffer, sizeof buffer);
                if (got <= 0) {
                    for (int s = 0; s < 2; ++s) {
                        m_readable[s]->setEnabled(false);
                        ::close(m_fds[s]);
                    }
                    deleteLater();
                    return;
                }
                // Small messages on loopback: the socket takes them whole.
                if (::write(m_fds[1 - side], buffer, std::size_t(got)) != got)
                    std::fprintf(stderr, "bench_io: a short write\n");
            });
        }
    }

private:
    int m_fds[2];
    std::unique_ptr<QSocketNotifier> m_readable[2];
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
// Medians of the server on port against the reference (alternating runs),
// printed as NAME_rps and NAME_rps_ratio_vs_REFERENCE; the reference's rate.
double compare(const char *name, quint16 port, const char *reference, quint16 referencePort)
{
    const auto [own, other] = alternatingMedians(port, referencePort, kRounds);
    std::printf("bench: %s_rps %.0f req/s\n", name, own.rps);
    std::printf("bench: %s_rps_ratio_vs_%s %.3f ratio\n", name, reference, own.rps / other.rps);
    return other.rps;
}
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
    double reference = compare("io_qtcpsocket", sockets.port, "nginx", nginx.port());
    reference += compare("io_descriptor", descriptors.port, "nginx", nginx.port());
    std::printf("bench: io_nginx_rps %.0f req/s\n", reference / 2);

    // Relays in front of nginx's `return 200`, against nginx proxying to it.
    NginxProcess nginxProxy(QStringLiteral("    location / { proxy_pass http://backend; proxy_http_version 1.1; "
                                           "proxy_set_header Connection \"\"; }\n"),
                            QStringLiteral("  upstream backend { server 127.0.0.1:%1; keepalive 128; }\n").arg(nginx.port()),
                            2);
    if (!nginxProxy.started()) {
        std::fprintf(stderr, "nginx did not start: %s\n", qPrintable(nginxProxy.error()));
        return 1;
    }
    g_upstreamPort = nginx.port();
    const Server socketRelays = Server::start<SocketRelay>();
    const Server descriptorRelays = Server::start<DescriptorRelay>();
    QThread::msleep(200);
    reference = compare("io_qtcpsocket_relay", socketRelays.port, "nginx_proxy", nginxProxy.port());
    reference += compare("io_descriptor_relay", descriptorRelays.port, "nginx_proxy", nginxProxy.port());
    std::printf("bench: io_nginx_proxy_rps %.0f req/s\n", reference / 2);
    return 0;
}
