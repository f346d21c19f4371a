// Runs a function on the thread a QObject lives on and returns its result:
// directly when that is this thread, else queued there while this thread
// waits. The control service and the demo world live on threads of their own;
// the window and the app reach them through this.
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
    ~ObjectThread()
    {
        callOn(m_context, [this] { delete m_context; });
        m_thread.quit();
        m_thread.wait();
    }
    ObjectThread(const ObjectThread &) = delete;
    ObjectThread &operator=(const ObjectThread &) = delete;

    template <typename F> auto call(F function) { return callOn(m_context, std::move(function)); }

private:
    QThread m_thread;
    QObject *m_context = nullptr;
};

} // namespace bb::control
