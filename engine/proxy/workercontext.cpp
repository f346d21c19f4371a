#include "workercontext.h"

#include "exchange.h"

#include <algorithm>

namespace bb::proxy {

BulkheadWaiters::BulkheadWaiters(QObject *parent) : QObject(parent), m_poll(this)
{
    m_poll.setInterval(2);
    connect(&m_poll, &QTimer::timeout, this, &BulkheadWaiters::admit);
}

void BulkheadWaiters::add(Exchange *exchange)
{
    m_waiting.push_back(exchange);
    if (!m_poll.isActive())
        m_poll.start();
}

void BulkheadWaiters::remove(Exchange *exchange)
{
    m_waiting.remove(exchange);
    if (m_waiting.empty())
        m_poll.stop();
}

void BulkheadWaiters::admit()
{
    // In arrival order; an exchange that gets its slot leaves the list.
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        Exchange *e = *it;
        if (e->tryBulkheadSlot())
            it = m_waiting.erase(it);
        else
            ++it;
    }
    if (m_waiting.empty())
        m_poll.stop();
}

} // namespace bb::proxy
