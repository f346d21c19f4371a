// A TCP stream on a non-blocking socket descriptor, woken by QSocketNotifiers
// on the owning thread's event loop. Reads go straight into the caller's
// buffer and writes straight to the kernel: no buffer of Qt's in between, no
// FIONREAD before each read, no signal per event (bench_io: QTcpSocket costs
// a fifth of a keep-alive server's throughput that this does not).
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QSocketNotifier>

#include <memory>

namespace bb::proxy {

class DescriptorSocket : public QObject {
public:
    // Told what happens, by direct calls. Each may delete the socket's owner
    // only in socketClosed, the last call.
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void socketConnected() = 0;
        // Bytes wait: read them (readInto until it gives 0) or stop reading.
        virtual void socketReadable() = 0;
        // Everything written has gone to the kernel.
        virtual void socketDrained() = 0;
        // The socket is closed: error 0 when the peer ended it cleanly (or it
        // was closed after writing), else the errno that ended it.
        virtual void socketClosed(int error) = 0;
    };

    enum class State { Unconnected, Connecting, Connected };

    explicit DescriptorSocket(QObject *parent = nullptr);
    ~DescriptorSocket() override;
    DescriptorSocket(const DescriptorSocket &) = delete;
    DescriptorSocket &operator=(const DescriptorSocket &) = delete;

    void setListener(Listener *listener) { m_listener = listener; }
    // An accepted connection, made non-blocking here; false when it is not a socket.
    bool adopt(int descriptor);
    // Starts connecting; socketConnected or socketClosed(errno) follows
    // (at once, from here, when the kernel refuses before trying).
    void connectTo(const QHostAddress &address, quint16 port);

    State state() const { return m_state; }
    int descriptor() const { return m_fd; }
    QHostAddress peerAddress() const;
    int error() const { return m_error; }
    QString errorString() const;

    // Appends what the kernel holds, up to max bytes; 0 when nothing waits.
    // Once the peer has closed its side, atEnd() (and socketClosed(0) after
    // the caller has taken the rest).
    qint64 readInto(QByteArray &buffer, qint64 max);
    bool atEnd() const { return m_atEnd; }
    // Off: nothing is read and socketReadable is not called; what the peer
    // sends waits in the kernel, whose window then holds it back.
    void setReading(bool on);

    // What the kernel does not take now waits here, and goes as it can.
    void write(const char *data, qint64 size);
    void write(const QByteArray &bytes) { write(bytes.constData(), bytes.size()); }
    qint64 bytesToWrite() const { return m_out.size() - m_outOffset; }

    // Closes once everything written has gone (socketClosed(0) then).
    void closeAfterWrite();
    // Closes now, dropping what waits; no socketClosed.
    void abort();

private:
    void onReadable();
    void onWritable();
    void flush();
    void finish(int error); // closes and tells the listener
    void finishLater(int error);
    void closeDescriptor();

    int m_fd = -1;
    State m_state = State::Unconnected;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier;
    Listener *m_listener = nullptr;
    QByteArray m_out;
    qint64 m_outOffset = 0;
    int m_error = 0;
    bool m_atEnd = false;
    bool m_reading = true;
    bool m_closeAfterWrite = false;
    quint64 m_generation = 0; // of the descriptor: a later finish is for this one only
};

} // namespace bb::proxy
