// When a stream's descriptor can be read or written, told to the stream.
// On a proxy worker's epoll loop (EpollDispatcher) the loop calls the stream
// directly, with no QSocketNotifier, event or signal in between; on any
// other thread's loop it rides two QSocketNotifiers.
#pragma once

#include <QSocketNotifier>

#include <memory>

namespace bb::proxy {

class EpollDispatcher;

class Readiness {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void descriptorReadable() = 0;
        virtual void descriptorWritable() = 0;
    };

    // Watches nothing until told to.
    Readiness(int fd, Listener &listener);
    ~Readiness();
    Readiness(const Readiness &) = delete;
    Readiness &operator=(const Readiness &) = delete;

    void setReading(bool on);
    void setWriting(bool on);
    bool reading() const { return m_reading; }
    bool writing() const { return m_writing; }

private:
    void change(bool &watching, QSocketNotifier *notifier, bool on);

    const int m_fd;
    Listener &m_listener;
    EpollDispatcher *m_loop;
    bool m_reading = false;
    bool m_writing = false;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
};

} // namespace bb::proxy
