// A simulated upstream service for the demo and for training: a real HTTP
// server on a free loopback port whose behaviour can be changed while it
// runs — failure rate, latency (log-normal around a median), an outage
// (connections cut at once), or a slow drip (the answer a byte at a time).
// Answers wait on Qt's timers, or, when given a clock and a timer source, in
// that clock's time: a test steps a ManualClock and sees each answer, and
// each byte of a drip, go out at its exact time.
#pragma once

#include "core/clock.h"

#include "proxy/requestlistener.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>

class QTcpSocket;

namespace bb::sim {

struct ServiceBehaviour {
    double failureRate = 0.0;                  // 0..1: share of calls answered 500
    Duration latency = std::chrono::milliseconds(20); // median
    double latencySpread = 0.25;               // sigma of the log-normal; 0: always the median
    bool outage = false;                       // every connection is cut before an answer
    bool slowDrip = false;                     // the answer trickles out, a byte every dripInterval
    Duration dripInterval = std::chrono::milliseconds(100);
    bool operator==(const ServiceBehaviour &) const = default;
};

class SimulatedService : public QObject {
    Q_OBJECT
public:
    explicit SimulatedService(std::string name, std::uint64_t seed = 1, QObject *parent = nullptr);
    // Latency and drip wait on timers, in the clock's time; both outlive this object.
    SimulatedService(std::string name, std::uint64_t seed, const Clock &clock, TimerSource &timers,
                     QObject *parent = nullptr);
    ~SimulatedService() override;

    // Listens on 127.0.0.1 on a free port.
    bool listen(QString *error);
    quint16 port() const { return m_listener.port(); }
    const std::string &name() const { return m_name; }

    // Both may be called from any thread.
    void setBehaviour(const ServiceBehaviour &behaviour);
    ServiceBehaviour behaviour() const;

    struct Counts {
        std::uint64_t requests = 0;
        std::uint64_t failures = 0; // answered 500
        std::uint64_t cut = 0;      // connections cut by an outage
        std::uint64_t answered = 0; // answers written whole (a drip once its last byte is)
    };
    Counts counts() const;

private:
    // Returns whether the connection reads on.
    bool answer(QTcpSocket *socket, bool keepAlive);
    void drip(QTcpSocket *socket, QByteArray rest, Duration interval, bool keepAlive);
    // Runs then on this thread once after has passed, unless the socket is gone.
    void later(QTcpSocket *socket, Duration after, std::function<void()> then);

    // Lets a timer source on another thread reach this object while it lives.
    struct Wake {
        std::mutex mutex;
        SimulatedService *service = nullptr;
    };

    const std::string m_name;
    proxy::RequestListener m_listener;
    mutable std::mutex m_mutex; // behaviour and random numbers
    ServiceBehaviour m_behaviour;
    std::mt19937_64 m_random;
    const Clock *m_clock = nullptr;
    TimerSource *m_timers = nullptr;
    std::shared_ptr<Wake> m_wake;
    std::atomic<std::uint64_t> m_requests{0};
    std::atomic<std::uint64_t> m_failures{0};
    std::atomic<std::uint64_t> m_cut{0};
    std::atomic<std::uint64_t> m_answered{0};
};

} // namespace bb::sim
