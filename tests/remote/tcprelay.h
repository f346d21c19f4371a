// A TCP relay on loopback between a client and a server, for the network
// going wrong on purpose: cut() ends every connection at once, hold() stops
// passing bytes on (a link that goes silent), refuse() stops accepting
// until accept() again on the same port.
#pragma once

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>
#include <vector>

namespace bb::testing {

class TcpRelay : public QObject {
public:
    explicit TcpRelay(quint16 target) : m_target(target)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &TcpRelay::take);
        accept();
    }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    int connections() const { return int(m_pairs.size()); }

    void accept() { m_server.listen(QHostAddress::LocalHost, m_port), m_port = m_server.serverPort(); }
    void refuse() { m_server.close(); }
    void cut()
    {
        for (auto &p : std::exchange(m_pairs, {})) {
            p->client->abort();
            p->server->abort();
        }
    }
    void hold(bool on) { m_held = on; }

private:
    struct Pair {
        std::unique_ptr<QTcpSocket> client;
        std::unique_ptr<QTcpSocket> server = std::make_unique<QTcpSocket>();
    };
    void take()
    {
        while (QTcpSocket *s = m_server.nextPendingConnection()) {
            auto pair = std::make_shared<Pair>();
            pair->client.reset(s);
            s->setParent(nullptr);
            pair->server->connectToHost(QHostAddress::LocalHost, m_target);
            const auto pass = [this](QTcpSocket *from, QTcpSocket *to) {
                connect(from, &QTcpSocket::readyRead, this, [this, from, to] {
                    if (!m_held)
                        to->write(from->readAll());
                });
                connect(from, &QTcpSocket::disconnected, to, &QTcpSocket::disconnectFromHost);
            };
            pass(pair->client.get(), pair->server.get());
            pass(pair->server.get(), pair->client.get());
            m_pairs.push_back(pair);
        }
    }

    quint16 m_target;
    quint16 m_port = 0;
    bool m_held = false;
    QTcpServer m_server;
    std::vector<std::shared_ptr<Pair>> m_pairs;
};

} // namespace bb::testing
