// The deadlines of one worker's exchanges on a single timer. Arming and
// disarming one is a tree insert and erase, not a timer of the event loop's:
// the timer stays on the nearest deadline and moves only to an earlier one
// (Envoy's per-worker timer wheel does the same for its per-try timeouts).
// A deadline is never taken for reached before it is.
#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>
#include <map>

namespace bb::proxy {

class Deadlines : public QObject {
public:
    using Time = std::chrono::steady_clock::time_point;

    // Told when one of its deadlines is reached; which says which one.
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void deadlineReached(int which) = 0;
    };

    // One deadline of a listener, armed at most once at a time. Its owner
    // keeps it; destroying an armed one is not allowed (disarm it first).
    class Entry {
    public:
        Entry(Listener *listener, int which) : m_listener(listener), m_which(which) {}
        bool armed() const { return m_armed; }

    private:
        friend class Deadlines;
        Listener *m_listener;
        int m_which;
        bool m_armed = false;
        std::multimap<Time, Entry *>::iterator m_at;
    };

    explicit Deadlines(QObject *parent = nullptr);

    // Arms (or moves) the entry to now + after.
    void arm(Entry &entry, std::chrono::nanoseconds after);
    void disarm(Entry &entry);
    std::size_t size() const { return m_entries.size(); }

private:
    void fire();
    void follow(Time now);

    std::multimap<Time, Entry *> m_entries;
    QTimer m_timer;
    Time m_armedFor;
};

} // namespace bb::proxy
