#include "deadlines.h"

namespace bb::proxy {

Deadlines::Deadlines(QObject *parent) : QObject(parent), m_timer(this)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Deadlines::fire);
}

void Deadlines::arm(Entry &entry, std::chrono::nanoseconds after)
{
    disarm(entry);
    const Time now = std::chrono::steady_clock::now();
    entry.m_at = m_entries.emplace(now + after, &entry);
    entry.m_armed = true;
    follow(now);
}

void Deadlines::disarm(Entry &entry)
{
    if (!entry.m_armed)
        return;
    m_entries.erase(entry.m_at);
    entry.m_armed = false;
    // The timer may now be early for what is left: it finds nothing due and follows.
}

void Deadlines::fire()
{
    const Time now = std::chrono::steady_clock::now();
    // One at a time from the front: a listener may arm or disarm any entry,
    // its own included, or destroy its owner's other entries.
    while (!m_entries.empty() && m_entries.begin()->first <= now) {
        Entry *entry = m_entries.begin()->second;
        m_entries.erase(m_entries.begin());
        entry->m_armed = false;
        entry->m_listener->deadlineReached(entry->m_which);
    }
    follow(now);
}

void Deadlines::follow(Time now)
{
    if (m_entries.empty())
        return; // a timer left running finds nothing and stops
    const Time next = m_entries.begin()->first;
    if (m_timer.isActive() && m_armedFor <= next)
        return;
    m_armedFor = next;
    m_timer.start(std::chrono::ceil<std::chrono::milliseconds>(std::max(next - now, Time::duration::zero())));
}

} // namespace bb::proxy
