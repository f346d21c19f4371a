// The proxy workers' event loop on epoll(7): a wait costs what is ready,
// not what is open. Qt's own loop (QEventDispatcherUNIX) hands ppoll every
// socket notifier of the thread on each wait and walks them all again after
// it, and a worker holds every idle keep-alive client. Notifiers are
// level-triggered, as Qt's are; timers are kept in the order they are due;
// posted events wake the loop through an eventfd. It is the whole of a
// QAbstractEventDispatcher, so what Qt runs on a worker (QTcpServer,
// QSslSocket, QTimer, queued calls) runs on it unchanged.
#pragma once

#include "readiness.h"

#include <QAbstractEventDispatcher>

#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bb::proxy {

class EpollDispatcher : public QAbstractEventDispatcher {
    Q_OBJECT
public:
    explicit EpollDispatcher(QObject *parent = nullptr);
    ~EpollDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

    // Watches a descriptor for a stream of this thread, called directly
    // (Readiness); neither read nor write stops watching it.
    void watch(int fd, Readiness::Listener *listener, bool read, bool write);

private:
    // The notifiers of one descriptor (by QSocketNotifier::Type), or the
    // stream told directly, and the events the kernel watches for it.
    struct Watch {
        QSocketNotifier *notifiers[3] = {};
        Readiness::Listener *listener = nullptr;
        bool read = false;
        bool write = false;
        std::uint32_t events = 0;
        std::uint32_t registeredIn = 0; // the round of notifiers during which one was last added
    };
    struct Timer {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 dueNs;
        bool firing = false; // its event is being delivered: not again meanwhile
    };

    void updateWatch(int fd);
    int waitMs() const;
    bool activateNotifiers(const epoll_event *ready, int count);
    void activateListener(int fd, std::uint32_t events);
    bool activateTimers();
    void drainWakeUps();

    int m_epoll = -1;
    int m_wake = -1;
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_interrupted{false};
    std::vector<Watch> m_watches; // by descriptor
    std::uint32_t m_round = 0;
    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_due; // (due, timer id)
    std::unordered_multimap<QObject *, int> m_byObject;
};

} // namespace bb::proxy
