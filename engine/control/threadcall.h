// Runs a function on the thread a QObject lives on and returns its result:
// directly when that is this thread, else queued there while this thread
// waits. For startup before a window shows, shutdown after it has gone, and
// headless modes only: the window reaches the engine's threads through the
// asynchronous control interfaces (commandqueue.h), never through this.
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QString>
#include <QThread>

#include <type_traits>

namespace bb::control {

template <typename F> auto callOn(QObject *context, F function) -> std::invoke_result_t<F>
{
    using Result = std::invoke_result_t<F>;
    const Qt::ConnectionType type =
        context->thread() == QThread::currentThread() ? Qt::DirectConnection : Qt::BlockingQueuedConnection;
    if constexpr (std::is_void_v<Result>) {
        QMetaObject::invokeMethod(context, std::move(function), type);
    } else {
        Result result{};
        QMetaObject::invokeMethod(context, [&] { result = function(); }, type);
        return result;
    }
}

// A thread with an event loop for objects that must not share the window's:
// construct them, use them and destroy them through call().
class ObjectThread {
public:
    explicit ObjectThread(const QString &name)
    {
        m_thread.setObjectName(name);
        m_thread.start();
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
    }
    // Whatever was made through call() must be destroyed through it before.
    // Waits for the thread to end (at once after finish() and its end).
    ~ObjectThread()
    {
        if (m_context)
            callOn(m_context, [this] { delete m_context; });
        m_thread.quit();
        m_thread.wait();
    }
    ObjectThread(const ObjectThread &) = delete;
    ObjectThread &operator=(const ObjectThread &) = delete;

    template <typename F> auto call(F function) { return callOn(m_context, std::move(function)); }
    // Runs function on the thread, without waiting for it.
    template <typename F> void post(F function)
    {
        QMetaObject::invokeMethod(m_context, std::move(function), Qt::QueuedConnection);
    }
    // The thread ends once what was posted before has run, without waiting
    // here: thread().finished then. Nothing can be called or posted after.
    void finish()
    {
        post([context = m_context] {
            delete context;
            QThread::currentThread()->quit();
        });
        m_context = nullptr;
    }
    QThread &thread() { return m_thread; }

private:
    QThread m_thread;
    QObject *m_context = nullptr;
};

} // namespace bb::control
