// Steady client traffic through the proxy for the demo: for each service a
// request rate (adjustable while it runs) sent as real HTTP over keep-alive
// connections, with every answer tallied by what it was. Pause, speed (a
// factor on every rate) and single steps are for training. Time comes from
// the clock it is given: a tick every 20 ms sends what the time passed since
// the last one owes, so a test steps the clock and counts exactly.
#pragma once

#include "core/clock.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bb::sim {

struct TrafficTally {
    std::uint64_t sent = 0;
    std::uint64_t ok = 0;        // 2xx from the service
    std::uint64_t failed = 0;    // any other status, except:
    std::uint64_t rejected = 0;  // 503 from the proxy (breaker, group, bulkhead)
    std::uint64_t fallback = 0;  // answered by a fallback (X-Fallback)
    std::uint64_t cut = 0;       // the connection ended without an answer
    std::uint64_t skipped = 0;   // not sent: all connections busy
    std::uint64_t answered() const { return ok + failed + rejected + fallback; }
};

class TrafficGenerator : public QObject {
    Q_OBJECT
public:
    // overTls: the proxy listens with TLS. The generator is a client of this
    // process's own listener over loopback, so it does not verify it.
    TrafficGenerator(const Clock &clock, QHostAddress proxyAddress, quint16 proxyPort, bool overTls = false,
                     QObject *parent = nullptr);
    ~TrafficGenerator() override;

    // Sends `ratePerSecond` requests a second to path (a route of the service).
    void setTarget(const std::string &service, const std::string &path, double ratePerSecond);
    void setRate(const std::string &service, double ratePerSecond);

    // Time paused owes nothing, whenever the ticks come.
    void setPaused(bool paused);
    // A factor on every rate: 0.25 slows the demo down to a quarter.
    void setSpeed(double factor) { m_speed = factor; }
    // One request to every service now (also while paused).
    void step();

    TrafficTally tally(const std::string &service) const;

    static constexpr int kMaxConnections = 32; // per service
    static constexpr int kTickMs = 20;

private:
    struct Client;
    struct Target;
    void tick();
    bool send(Target &target);
    void onReadable(Target &target, Client &client);
    void onClosed(Target &target, Client *client);

    QHostAddress m_address;
    quint16 m_port;
    bool m_overTls;
    const Clock &m_clock;
    QTimer m_tick;
    TimePoint m_lastTick;
    bool m_paused = false;
    double m_speed = 1.0;
    std::map<std::string, std::unique_ptr<Target>> m_targets;
};

} // namespace bb::sim
