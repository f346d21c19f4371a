#include "readiness.h"

#include "epolldispatcher.h"

namespace bb::proxy {

Readiness::Readiness(int fd, Listener &listener)
    : m_fd(fd), m_listener(listener), m_loop(qobject_cast<EpollDispatcher *>(QAbstractEventDispatcher::instance()))
{
    if (m_loop)
        return;
    m_readNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    m_writeNotifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write);
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    QObject::connect(m_readNotifier.get(), &QSocketNotifier::activated, [this] { m_listener.descriptorReadable(); });
    QObject::connect(m_writeNotifier.get(), &QSocketNotifier::activated, [this] { m_listener.descriptorWritable(); });
}

Readiness::~Readiness()
{
    if (m_loop)
        m_loop->watch(m_fd, nullptr, false, false);
}

void Readiness::setReading(bool on)
{
    change(m_reading, m_readNotifier.get(), on);
}

void Readiness::setWriting(bool on)
{
    change(m_writing, m_writeNotifier.get(), on);
}

void Readiness::change(bool &watching, QSocketNotifier *notifier, bool on)
{
    if (on == watching)
        return;
    watching = on;
    if (notifier)
        notifier->setEnabled(on);
    else
        m_loop->watch(m_fd, &m_listener, m_reading, m_writing);
}

} // namespace bb::proxy
