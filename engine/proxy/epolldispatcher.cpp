#include "epolldispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <climits>
#include <ctime>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace bb::proxy {

namespace {
constexpr int kReadyAtOnce = 256;
constexpr qint64 kNsPerMs = 1000000;

qint64 nowNs()
{
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return qint64(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// What wakes each kind of notifier: as poll(2) tells it to Qt's own loop.
constexpr std::uint32_t kWakes[3] = {EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP, EPOLLOUT | EPOLLERR | EPOLLHUP,
                                     EPOLLPRI};
constexpr std::uint32_t kWatches[3] = {EPOLLIN | EPOLLRDHUP, EPOLLOUT, EPOLLPRI};
} // namespace

EpollDispatcher::EpollDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wake < 0)
        qFatal("epoll or eventfd: %s", strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wake;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
}

EpollDispatcher::~EpollDispatcher()
{
    ::close(m_wake);
    ::close(m_epoll);
}

bool EpollDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    QCoreApplication::sendPostedEvents();

    // Anything posted from here on wakes the wait through the eventfd.
    const bool canWait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupted.load(std::memory_order_relaxed);
    const int timeout = canWait ? waitMs() : 0;
    if (timeout != 0)
        emit aboutToBlock();
    epoll_event ready[kReadyAtOnce];
    int count = epoll_wait(m_epoll, ready, kReadyAtOnce, timeout);
    if (count < 0)
        count = 0; // EINTR: the loop goes round again
    if (timeout != 0)
        emit awake();

    bool handled = false;
    if (!flags.testFlag(QEventLoop::ExcludeSocketNotifiers))
        handled = activateNotifiers(ready, count);
    else
        for (int i = 0; i < count; ++i)
            if (ready[i].data.fd == m_wake)
                drainWakeUps();
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        handled = activateTimers() || handled;
    return handled;
}

bool EpollDispatcher::activateNotifiers(const epoll_event *ready, int count)
{
    bool handled = false;
    ++m_round;
    for (int i = 0; i < count; ++i) {
        const int fd = ready[i].data.fd;
        if (fd == m_wake) {
            drainWakeUps();
            continue;
        }
        const std::uint32_t events = ready[i].events;
        if (std::size_t(fd) < m_watches.size() && m_watches[std::size_t(fd)].listener) {
            activateListener(fd, events);
            handled = true;
            continue;
        }
        bool any = false;
        for (int type = 0; type < 3; ++type) {
            // Looked up again for each: an earlier handler may have removed it.
            if (std::size_t(fd) >= m_watches.size())
                break;
            // What the kernel said of a descriptor before a handler of this
            // round closed it is not news for one that took its number since.
            const Watch &w = m_watches[std::size_t(fd)];
            QSocketNotifier *n = w.notifiers[type];
            if (!n || !(events & kWakes[type]) || w.registeredIn == m_round)
                continue;
            any = true;
            QEvent activation(QEvent::SockAct);
            QCoreApplication::sendEvent(n, &activation);
        }
        handled = handled || any;
    }
    return handled;
}

void EpollDispatcher::activateListener(int fd, std::uint32_t events)
{
    // Each call may close the stream, or give its descriptor to another:
    // the watch is looked up again before the second.
    const auto current = [&](Readiness::Listener *listener) {
        const Watch &w = m_watches[std::size_t(fd)];
        return w.listener == listener && w.registeredIn != m_round ? &w : nullptr;
    };
    Readiness::Listener *listener = m_watches[std::size_t(fd)].listener;
    const Watch *w = current(listener);
    if (w && w->read && (events & kWakes[QSocketNotifier::Read])) {
        listener->descriptorReadable();
        w = current(listener);
    }
    if (w && w->write && (events & kWakes[QSocketNotifier::Write]))
        listener->descriptorWritable();
}

void EpollDispatcher::watch(int fd, Readiness::Listener *listener, bool read, bool write)
{
    if (fd < 0)
        return;
    if (std::size_t(fd) >= m_watches.size())
        m_watches.resize(std::size_t(fd) + 1);
    Watch &w = m_watches[std::size_t(fd)];
    if (!read && !write)
        listener = nullptr;
    if (listener != w.listener)
        w.registeredIn = m_round;
    w.listener = listener;
    w.read = read;
    w.write = write;
    updateWatch(fd);
}

void EpollDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    if (std::size_t(fd) >= m_watches.size())
        m_watches.resize(std::size_t(fd) + 1);
    m_watches[std::size_t(fd)].notifiers[notifier->type()] = notifier;
    m_watches[std::size_t(fd)].registeredIn = m_round;
    updateWatch(fd);
}

void EpollDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0 || std::size_t(fd) >= m_watches.size())
        return;
    QSocketNotifier *&slot = m_watches[std::size_t(fd)].notifiers[notifier->type()];
    if (slot == notifier) {
        slot = nullptr;
        updateWatch(fd);
    }
}

void EpollDispatcher::updateWatch(int fd)
{
    Watch &w = m_watches[std::size_t(fd)];
    std::uint32_t wanted = 0;
    for (int type = 0; type < 3; ++type)
        if (w.notifiers[type])
            wanted |= kWatches[type];
    if (w.listener)
        wanted |= (w.read ? kWatches[QSocketNotifier::Read] : 0) | (w.write ? kWatches[QSocketNotifier::Write] : 0);
    if (wanted == w.events)
        return;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.fd = fd;
    int op = wanted == 0 ? EPOLL_CTL_DEL : w.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    int result = epoll_ctl(m_epoll, op, fd, &ev);
    // The descriptor was closed and its number given again without a word
    // to the notifiers: the kernel has already forgotten the old one.
    if (result != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
        result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    else if (result != 0 && op == EPOLL_CTL_ADD && errno == EEXIST)
        result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
    if (result != 0 && op != EPOLL_CTL_DEL)
        qWarning("QSocketNotifier: cannot watch descriptor %d: %s", fd, strerror(errno));
    w.events = result == 0 ? wanted : 0;
}

void EpollDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    unregisterTimer(timerId);
    const qint64 due = nowNs() + interval * kNsPerMs;
    m_timers.emplace(timerId, Timer{interval, timerType, object, due});
    m_due.emplace(due, timerId);
    m_byObject.emplace(object, timerId);
}

bool EpollDispatcher::unregisterTimer(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_due.erase({it->second.dueNs, timerId});
    auto [first, last] = m_byObject.equal_range(it->second.object);
    for (auto o = first; o != last; ++o) {
        if (o->second == timerId) {
            m_byObject.erase(o);
            break;
        }
    }
    m_timers.erase(it);
    return true;
}

bool EpollDispatcher::unregisterTimers(QObject *object)
{
    auto [first, last] = m_byObject.equal_range(object);
    if (first == last)
        return false;
    for (auto o = first; o != last; ++o) {
        const auto it = m_timers.find(o->second);
        m_due.erase({it->second.dueNs, it->first});
        m_timers.erase(it);
    }
    m_byObject.erase(first, last);
    return true;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    auto [first, last] = m_byObject.equal_range(object);
    for (auto o = first; o != last; ++o) {
        const Timer &t = m_timers.at(o->second);
        timers.append(TimerInfo(o->second, int(t.intervalMs), t.type));
    }
    return timers;
}

int EpollDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    const qint64 left = it->second.dueNs - nowNs();
    return left <= 0 ? 0 : int((left + kNsPerMs - 1) / kNsPerMs);
}

int EpollDispatcher::waitMs() const
{
    if (m_due.empty())
        return -1;
    const qint64 left = m_due.begin()->first - nowNs();
    if (left <= 0)
        return 0;
    // Rounded up: a timer is never woken for before it is due.
    return int(std::min<qint64>((left + kNsPerMs - 1) / kNsPerMs, INT_MAX));
}

bool EpollDispatcher::activateTimers()
{
    if (m_due.empty())
        return false;
    const qint64 now = nowNs();
    if (m_due.begin()->first > now)
        return false;
    // The timers due now, each once; a handler may start, stop or delete
    // any of them, so each is looked up again before its turn.
    std::vector<int> firing;
    for (auto it = m_due.begin(); it != m_due.end() && it->first <= now; ++it)
        firing.push_back(it->second);
    bool handled = false;
    for (int id : firing) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.firing || it->second.dueNs > now)
            continue;
        Timer &t = it->second;
        m_due.erase({t.dueNs, id});
        t.dueNs += t.intervalMs * kNsPerMs;
        if (t.dueNs < now)
            t.dueNs = now + t.intervalMs * kNsPerMs; // fell behind: from now, not a burst
        m_due.emplace(t.dueNs, id);
        t.firing = true;
        QObject *object = t.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        handled = true;
        it = m_timers.find(id);
        if (it != m_timers.end())
            it->second.firing = false;
    }
    return handled;
}

void EpollDispatcher::wakeUp()
{
    if (m_wakePending.exchange(true, std::memory_order_acq_rel))
        return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(m_wake, &one, sizeof one);
}

void EpollDispatcher::drainWakeUps()
{
    // Read before the flag is cleared: a wake-up that comes between finds
    // the flag still set and writes nothing, and its event is delivered at
    // the start of the next round anyway.
    std::uint64_t count;
    [[maybe_unused]] const ssize_t got = ::read(m_wake, &count, sizeof count);
    m_wakePending.store(false, std::memory_order_release);
}

void EpollDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace bb::proxy
