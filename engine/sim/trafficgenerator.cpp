#include "trafficgenerator.h"

#include "proxy/httpparser.h"

#include <QSslSocket>

#include <algorithm>
#include <limits>

namespace bb::sim {

struct TrafficGenerator::Client {
    QSslSocket socket; // plain TCP until encryption is asked for
    proxy::HttpParser parser{false, 64 * 1024, std::numeric_limits<std::uint64_t>::max()};
    bool busy = false;
};

struct TrafficGenerator::Target {
    std::string service;
    QByteArray request;
    double rate = 0.0;
    double owed = 0.0;
    TrafficTally tally;
    std::vector<std::unique_ptr<Client>> clients;
};

TrafficGenerator::TrafficGenerator(const Clock &clock, QHostAddress proxyAddress, quint16 proxyPort, bool overTls,
                                   QObject *parent)
    : QObject(parent), m_address(std::move(proxyAddress)), m_port(proxyPort), m_overTls(overTls), m_clock(clock),
      m_tick(this),
      m_lastTick(clock.now())
{
    connect(&m_tick, &QTimer::timeout, this, &TrafficGenerator::tick);
    m_tick.start(kTickMs);
}

TrafficGenerator::~TrafficGenerator()
{
    for (auto &[name, target] : m_targets)
        for (auto &client : target->clients)
            client->socket.disconnect(this);
}

void TrafficGenerator::setTarget(const std::string &service, const std::string &path, double ratePerSecond)
{
    auto &target = m_targets[service];
    if (!target)
        target = std::make_unique<Target>();
    target->service = service;
    target->request = QByteArray("GET ") + path.c_str() + " HTTP/1.1\r\nHost: breakerboard-demo\r\nUser-Agent: breakerboard-demo\r\n\r\n";
    target->rate = std::max(0.0, ratePerSecond);
}

void TrafficGenerator::setRate(const std::string &service, double ratePerSecond)
{
    if (const auto it = m_targets.find(service); it != m_targets.end())
        it->second->rate = std::max(0.0, ratePerSecond);
}

TrafficTally TrafficGenerator::tally(const std::string &service) const
{
    const auto it = m_targets.find(service);
    return it == m_targets.end() ? TrafficTally{} : it->second->tally;
}

void TrafficGenerator::setPaused(bool paused)
{
    if (m_paused && !paused)
        m_lastTick = m_clock.now();
    m_paused = paused;
}

void TrafficGenerator::step()
{
    for (auto &[name, target] : m_targets)
        send(*target);
}

void TrafficGenerator::tick()
{
    // By the time that passed, not the ticks: a late tick sends what it owes
    // (up to a fifth of a second's worth, so a stall makes no burst).
    const TimePoint now = m_clock.now();
    const double seconds = std::min(0.2, std::chrono::duration<double>(now - m_lastTick).count());
    m_lastTick = now;
    if (m_paused)
        return;
    for (auto &[name, target] : m_targets) {
        target->owed += target->rate * m_speed * seconds;
        while (target->owed >= 1.0) {
            target->owed -= 1.0;
            send(*target);
        }
    }
}

bool TrafficGenerator::send(Target &target)
{
    Client *idle = nullptr;
    for (auto &c : target.clients)
        if (!c->busy && c->socket.state() == QAbstractSocket::ConnectedState) {
            idle = c.get();
            break;
        }
    if (!idle && int(target.clients.size()) < kMaxConnections) {
        target.clients.push_back(std::make_unique<Client>());
        idle = target.clients.back().get();
        Client *client = idle;
        connect(&client->socket, &QTcpSocket::readyRead, this, [this, &target, client] { onReadable(target, *client); });
        connect(&client->socket, &QTcpSocket::disconnected, this, [this, &target, client] { onClosed(target, client); });
        connect(&client->socket, &QTcpSocket::errorOccurred, this, [this, &target, client] { onClosed(target, client); });
        // Writes wait for the connection (and the handshake).
        if (m_overTls) {
            client->socket.setPeerVerifyMode(QSslSocket::VerifyNone);
            client->socket.connectToHostEncrypted(m_address.toString(), m_port);
        } else {
            client->socket.connectToHost(m_address, m_port);
        }
    }
    if (!idle) {
        ++target.tally.skipped;
        return false;
    }
    idle->busy = true;
    idle->socket.write(target.request);
    ++target.tally.sent;
    return true;
}

void TrafficGenerator::onReadable(Target &target, Client &client)
{
    const QByteArray data = client.socket.readAll();
    std::size_t offset = 0;
    while (offset < std::size_t(data.size())) {
        offset += client.parser.feed(data.constData() + offset, std::size_t(data.size()) - offset);
        client.parser.body().clear();
        if (client.parser.error() != proxy::ParseError::None) {
            client.socket.abort();
            return;
        }
        if (!client.parser.done())
            return;
        const proxy::HttpHead &head = client.parser.head();
        const std::string_view fallback = head.field("X-Fallback"); // "none" on the proxy's own 503
        if (!fallback.empty() && fallback != "none")
            ++target.tally.fallback;
        else if (head.status >= 200 && head.status < 300)
            ++target.tally.ok;
        else if (head.status == 503)
            ++target.tally.rejected;
        else
            ++target.tally.failed;
        client.busy = false;
        client.parser.reset();
    }
}

void TrafficGenerator::onClosed(Target &target, Client *client)
{
    if (client->busy) {
        ++target.tally.cut;
        client->busy = false;
    }
    client->socket.disconnect(this);
    // Removed later: this runs inside the socket's own signal.
    QTimer::singleShot(0, this, [&target, client] {
        std::erase_if(target.clients, [client](const auto &c) { return c.get() == client; });
    });
}

} // namespace bb::sim
