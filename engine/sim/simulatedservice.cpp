#include "simulatedservice.h"

#include <QTcpSocket>
#include <QTimer>

namespace bb::sim {

SimulatedService::SimulatedService(std::string name, std::uint64_t seed, QObject *parent)
    : QObject(parent), m_name(std::move(name)),
      m_listener({},
                 [this](QTcpSocket *socket, const proxy::HttpHead &head, const QByteArray &) {
                     return answer(socket, head.keepAlive);
                 },
                 [](int status, const std::string &) {
                     return "HTTP/1.1 " + QByteArray::number(status) + " Bad Request\r\nContent-Length: 0\r\n"
                                                                       "Connection: close\r\n\r\n";
                 },
                 this),
      m_random(seed)
{
}

SimulatedService::~SimulatedService() = default;

bool SimulatedService::listen(QString *error)
{
    if (m_listener.listen(QHostAddress::LocalHost, 0, error))
        return true;
    *error = QStringLiteral("simulated service %1: %2").arg(QString::fromStdString(m_name), *error);
    return false;
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

bool SimulatedService::answer(QTcpSocket *socket, bool keepAlive)
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
        m_listener.drop(socket);
        return false;
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
    return keepAlive;
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
