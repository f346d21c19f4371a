// Drives one hiredis async context from the Qt event loop: hiredis asks for
// read and write readiness on its socket, socket notifiers tell it when the
// socket is ready. (The idea of hiredis's adapters/qt.h, with the context's
// hooks detached again before the context goes away.)
#pragma once

#include <QObject>
#include <QPointer>
#include <QSocketNotifier>

struct redisAsyncContext;

namespace bb::shared {

class RedisEventAdapter : public QObject {
    Q_OBJECT
public:
    explicit RedisEventAdapter(QObject *parent = nullptr);
    ~RedisEventAdapter() override;

    // Installs the hooks on a context that has none; the context's socket is
    // watched from then on.
    void attach(redisAsyncContext *context);
    // Removes the hooks and stops watching: hiredis may free the context
    // later without calling back here.
    void detach();

private:
    static void addRead(void *self);
    static void delRead(void *self);
    static void addWrite(void *self);
    static void delWrite(void *self);
    static void cleanup(void *self);
    void setWatching(QPointer<QSocketNotifier> &notifier, QSocketNotifier::Type type, bool on);

    redisAsyncContext *m_context = nullptr;
    QPointer<QSocketNotifier> m_read;
    QPointer<QSocketNotifier> m_write;
};

} // namespace bb::shared
