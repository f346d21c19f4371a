#include "commandqueue.h"

#include <algorithm>

namespace bb::control {

CommandQueue::CommandQueue(QObject *parent) : QObject(parent), m_mailbox(std::make_shared<Mailbox>(this))
{
    m_busyTimer.setSingleShot(true);
    connect(&m_busyTimer, &QTimer::timeout, this, &CommandQueue::updateBusy);
}

CommandQueue::~CommandQueue() { m_mailbox->close(); }

QString CommandQueue::waitingFor() const { return m_pending.empty() ? QString() : m_pending.front().what; }

quint64 CommandQueue::enqueue(const QString &what, std::shared_ptr<void> slot)
{
    Pending p{m_next++, what, std::move(slot), {}, {}};
    p.since.start();
    m_pending.push_back(std::move(p));
    updateBusy();
    return m_pending.back().ticket;
}

void CommandQueue::settle(quint64 ticket, std::function<void(void *)> deliver)
{
    const auto it = std::find_if(m_pending.begin(), m_pending.end(), [ticket](const Pending &p) { return p.ticket == ticket; });
    if (it == m_pending.end())
        return;
    it->deliver = std::move(deliver);
    // An answer may issue further commands: each is taken off before it is delivered.
    while (!m_pending.empty() && m_pending.front().deliver) {
        Pending done = std::move(m_pending.front());
        m_pending.pop_front();
        updateBusy();
        done.deliver(done.slot.get());
    }
}

void CommandQueue::updateBusy()
{
    const qint64 waited = m_pending.empty() ? -1 : m_pending.front().since.elapsed();
    const bool busy = waited >= kBusyAfterMs;
    if (waited >= 0 && !busy)
        m_busyTimer.start(int(kBusyAfterMs - waited));
    else
        m_busyTimer.stop();
    if (busy != m_busy) {
        m_busy = busy;
        emit busyChanged(busy);
    }
}

} // namespace bb::control
