#include "simulatedservice.h"

#include "proxy/httpparser.h"

#include <QTcpSocket>
#include <QTimer>

namespace bb::sim {

struct SimulatedService::Connection {
    proxy::HttpParser parser{true, 16 * 1024, 1 << 20};
    QByteArray pending;
};

SimulatedService::SimulatedService(std::string name, std::uint64_t seed, QObject *parent)
    : QObject(parent), m_name(std::move(name)), m_server(this), m_random(seed)
{
    connect(&m_server, &QTcpServer::newConnection, this, &SimulatedService::accept);
}

SimulatedService::~SimulatedService()
{
    for (auto &[socket, connection] : m_connections) {
        socket->disconnect(this);
        socket->abort();
    }
}

bool SimulatedService::listen(QString *error)
{
    if (!m_server.listen(QHostAddress::LocalHost, 0)) {
        *error = QStringLiteral("simulated service %1: %2").arg(QString::fromStdString(m_name), m_server.errorString());
        return false;
    }
    m_port = m_server.serverPort();
    return true;
}

void SimulatedService::setBehaviour(const ServiceBehaviour &behaviour)
{
    std::lock_guard lock(m_mutex);
    m_behaviour = behaviour;
}

ServiceBehaviour SimulatedService::behaviour() const
{
    std::lock_guard lock(m_mutex);
    return m_behaviour;
}

SimulatedService::Counts SimulatedService::counts() const
{
    return {m_requests.load(), m_failures.load(), m_cut.load()};
}

void SimulatedService::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_connections.emplace(socket, std::make_unique<Connection>());
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { drop(socket); });
    }
}

void SimulatedService::drop(QTcpSocket *socket)
{
    if (m_connections.erase(socket) == 0)
        return;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void SimulatedService::readFrom(QTcpSocket *socket)
{
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    Connection &c = *it->second;
    c.pending.append(socket->readAll());
    while (!c.pending.isEmpty()) {
        const std::size_t used = c.parser.feed(c.pending.constData(), std::size_t(c.pending.size()));
        c.pending.remove(0, qsizetype(used));
        if (c.parser.error() != proxy::ParseError::None) {
            socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            return;
        }
        if (!c.parser.done())
            return;
        const bool keepAlive = c.parser.head().keepAlive;
        c.parser.reset();
        answer(socket, keepAlive);
        if (!keepAlive || !m_connections.count(socket))
            return; // closed, or cut by an outage
    }
}

void SimulatedService::answer(QTcpSocket *socket, bool keepAlive)
{
    ++m_requests;
    ServiceBehaviour b;
    bool fails = false;
    Duration latency{};
    {
        std::lock_guard lock(m_mutex);
        b = m_behaviour;
        fails = std::bernoulli_distribution(std::clamp(b.failureRate, 0.0, 1.0))(m_random);
        const double factor = b.latencySpread > 0 ? std::lognormal_distribution<double>(0.0, b.latencySpread)(m_random) : 1.0;
        latency = std::chrono::duration_cast<Duration>(b.latency * factor);
    }
    if (b.outage) {
        ++m_cut;
        drop(socket);
        return;
    }
    if (fails)
        ++m_failures;
    const QByteArray body = QByteArray("{\"service\":\"") + m_name.c_str() + (fails ? "\",\"ok\":false}" : "\",\"ok\":true}");
    const QByteArray response = QByteArray(fails ? "HTTP/1.1 500 Internal Server Error\r\n" : "HTTP/1.1 200 OK\r\n") +
                                "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
                                (keepAlive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n") + body;
    QTimer::singleShot(std::chrono::duration_cast<std::chrono::milliseconds>(latency), socket,
                       [this, socket, response, b, keepAlive] {
                           if (b.slowDrip)
                               drip(socket, response, b.dripInterval, keepAlive);
                           else {
                               socket->write(response);
                               if (!keepAlive)
                                   socket->disconnectFromHost();
                           }
                       });
}

void SimulatedService::drip(QTcpSocket *socket, QByteArray rest, Duration interval, bool keepAlive)
{
    socket->write(rest.left(1));
    rest.remove(0, 1);
    if (rest.isEmpty()) {
        if (!keepAlive)
            socket->disconnectFromHost();
        return;
    }
    QTimer::singleShot(std::chrono::duration_cast<std::chrono::milliseconds>(interval), socket,
                       [this, socket, rest, interval, keepAlive] { drip(socket, rest, interval, keepAlive); });
}

} // namespace bb::sim
