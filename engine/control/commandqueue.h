// What every control interface shares, whatever it runs over: a command
// returns at once, and its answer arrives later on the thread the
// interface lives on (the window's), in the order the commands were issued.
// While the oldest command has waited longer than kBusyAfterMs the
// interface is busy, so the window can say so and hold the controls it
// concerns. Implementations call issue() for a command and answer() when
// its answer comes (in any order: later answers wait for earlier ones);
// in-process ones run the command on an engine object's thread with runOn().
#pragma once

#include <QElapsedTimer>
#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace bb::control {

// Where the answer to one command goes.
template <typename T> class Answer {
public:
    struct Slot {
        QPointer<QObject> context;
        std::function<void(const T &)> done;
    };
    explicit Answer(std::shared_ptr<Slot> slot) : m_slot(std::move(slot)) {}
    // done(answer) on the interface's thread, unless context is gone by
    // then. An answer nobody asked for is dropped.
    template <typename F> void then(QObject *context, F done)
    {
        m_slot->context = context;
        m_slot->done = std::move(done);
    }

private:
    std::shared_ptr<Slot> m_slot;
};

// Posts functions from any thread to a QObject's thread until it is closed
// (by the object, as it goes): after that nothing more is posted, and what
// was posted goes with the object.
class Mailbox {
public:
    explicit Mailbox(QObject *receiver) : m_receiver(receiver) {}
    template <typename F> void post(F function)
    {
        const std::lock_guard lock(m_mutex);
        if (m_receiver)
            QMetaObject::invokeMethod(m_receiver, std::move(function), Qt::QueuedConnection);
    }
    void close()
    {
        const std::lock_guard lock(m_mutex);
        m_receiver = nullptr;
    }

private:
    std::mutex m_mutex;
    QObject *m_receiver;
};

class CommandQueue : public QObject {
    Q_OBJECT
public:
    static constexpr int kBusyAfterMs = 100;

    explicit CommandQueue(QObject *parent = nullptr);
    ~CommandQueue() override;

    // A command has waited longer than kBusyAfterMs and is still waiting.
    bool busy() const { return m_busy; }
    // What the oldest waiting command does ("stopping the recording"); empty when none waits.
    QString waitingFor() const;
    std::size_t waiting() const { return m_pending.size(); }

signals:
    void busyChanged(bool busy);

protected:
    template <typename T> std::pair<quint64, Answer<T>> issue(const QString &what)
    {
        auto slot = std::make_shared<typename Answer<T>::Slot>();
        return {enqueue(what, slot), Answer<T>(slot)};
    }
    template <typename T> void answer(quint64 ticket, T value)
    {
        settle(ticket, [value = std::move(value)](void *slot) {
            auto *s = static_cast<typename Answer<T>::Slot *>(slot);
            if (s->done && s->context)
                s->done(value);
        });
    }
    // Runs work() on owner's thread and answers with what it returns;
    // seen(answer) first, for what the interface itself keeps of it.
    template <typename T, typename Work>
    Answer<T> runOn(QObject *owner, const QString &what, Work work, std::function<void(const T &)> seen = {})
    {
        auto [ticket, result] = issue<T>(what);
        QMetaObject::invokeMethod(owner, [mailbox = m_mailbox, self = this, t = ticket, work = std::move(work),
                                          seen = std::move(seen)]() mutable {
            T value = work();
            mailbox->post([self, t, value = std::move(value), seen = std::move(seen)]() mutable {
                if (seen)
                    seen(value);
                self->answer(t, std::move(value));
            });
        }, Qt::QueuedConnection);
        return result;
    }
    // For what implementations send from the engine's threads (snapshots, events).
    const std::shared_ptr<Mailbox> &mailbox() const { return m_mailbox; }

private:
    struct Pending {
        quint64 ticket;
        QString what;
        std::shared_ptr<void> slot;
        QElapsedTimer since;
        std::function<void(void *)> deliver; // set once answered
    };
    quint64 enqueue(const QString &what, std::shared_ptr<void> slot);
    void settle(quint64 ticket, std::function<void(void *)> deliver);
    void updateBusy();

    std::shared_ptr<Mailbox> m_mailbox;
    std::deque<Pending> m_pending; // oldest first
    quint64 m_next = 1;
    bool m_busy = false;
    QTimer m_busyTimer;
};

} // namespace bb::control
