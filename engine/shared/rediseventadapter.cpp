#include "rediseventadapter.h"

#include <async.h>

namespace bb::shared {

RedisEventAdapter::RedisEventAdapter(QObject *parent) : QObject(parent) {}

RedisEventAdapter::~RedisEventAdapter() { detach(); }

void RedisEventAdapter::attach(redisAsyncContext *context)
{
    detach();
    m_context = context;
    context->ev.data = this;
    context->ev.addRead = &RedisEventAdapter::addRead;
    context->ev.delRead = &RedisEventAdapter::delRead;
    context->ev.addWrite = &RedisEventAdapter::addWrite;
    context->ev.delWrite = &RedisEventAdapter::delWrite;
    context->ev.cleanup = &RedisEventAdapter::cleanup;
}

void RedisEventAdapter::detach()
{
    if (m_context) {
        m_context->ev = {};
        m_context = nullptr;
    }
    setWatching(m_read, QSocketNotifier::Read, false);
    setWatching(m_write, QSocketNotifier::Write, false);
}

// A notifier may be switched off from inside its own activation (hiredis
// closes the socket while handling a read): it is disabled at once and
// deleted later.
void RedisEventAdapter::setWatching(QPointer<QSocketNotifier> &notifier, QSocketNotifier::Type type, bool on)
{
    if (!on) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->setParent(nullptr); // not deleted with the adapter, perhaps mid-signal
            notifier->deleteLater();
            notifier = nullptr;
        }
        return;
    }
    if (notifier || !m_context)
        return;
    notifier = new QSocketNotifier(m_context->c.fd, type, this);
    if (type == QSocketNotifier::Read) {
        connect(notifier, &QSocketNotifier::activated, this, [this] {
            if (m_context)
                redisAsyncHandleRead(m_context);
        });
    } else {
        connect(notifier, &QSocketNotifier::activated, this, [this] {
            if (m_context)
                redisAsyncHandleWrite(m_context);
        });
    }
}

void RedisEventAdapter::addRead(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    a->setWatching(a->m_read, QSocketNotifier::Read, true);
}

void RedisEventAdapter::delRead(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    a->setWatching(a->m_read, QSocketNotifier::Read, false);
}

void RedisEventAdapter::addWrite(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    a->setWatching(a->m_write, QSocketNotifier::Write, true);
}

void RedisEventAdapter::delWrite(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    a->setWatching(a->m_write, QSocketNotifier::Write, false);
}

// hiredis is about to free the context.
void RedisEventAdapter::cleanup(void *self)
{
    auto *a = static_cast<RedisEventAdapter *>(self);
    a->m_context = nullptr;
    a->detach();
}

} // namespace bb::shared
