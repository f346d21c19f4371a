#include "simulatedservice.h"

#include <QPointer>
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

SimulatedService::SimulatedService(std::string name, std::uint64_t seed, const Clock &clock, TimerSource &timers,
                                   QObject *parent)
    : SimulatedService(std::move(name), seed, parent)
{
    m_clock = &clock;
    m_timers = &timers;
    m_wake = std::make_shared<Wake>();
    m_wake->service = this;
}

SimulatedService::~SimulatedService()
{
    if (m_wake) {
        std::lock_guard lock(m_wake->mutex);
        m_wake->service = nullptr;
    }
}

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
    return {m_requests.load(), m_failures.load(), m_cut.load(), m_answered.load()};
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
    later(socket, latency, [this, socket, response, b, keepAlive] {
        if (b.slowDrip)
            return drip(socket, response, b.dripInterval, keepAlive);
        socket->write(response);
        ++m_answered;
        if (!keepAlive)
            socket->disconnectFromHost();
    });
    return keepAlive;
}

void SimulatedService::drip(QTcpSocket *socket, QByteArray rest, Duration interval, bool keepAlive)
{
    socket->write(rest.left(1));
    rest.remove(0, 1);
    if (rest.isEmpty()) {
        ++m_answered;
        if (!keepAlive)
            socket->disconnectFromHost();
        return;
    }
    later(socket, interval, [this, socket, rest, interval, keepAlive] { drip(socket, rest, interval, keepAlive); });
}

void SimulatedService::later(QTcpSocket *socket, Duration after, std::function<void()> then)
{
    if (!m_timers || after <= Duration::zero()) {
        QTimer::singleShot(std::chrono::duration_cast<std::chrono::milliseconds>(after), socket, std::move(then));
        return;
    }
    // The source may call from its own thread (a ManualClock calls from the
    // one that advances it): the work runs on this object's thread.
    m_timers->schedule(m_clock->now() + after,
                       [wake = m_wake, socket = QPointer<QTcpSocket>(socket), then = std::move(then)] {
                           std::lock_guard lock(wake->mutex);
                           if (wake->service)
                               QMetaObject::invokeMethod(wake->service, [socket, then] {
                                   if (socket)
                                       then();
                               });
                       });
}

} // namespace bb::sim
