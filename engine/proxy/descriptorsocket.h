// A TCP stream on a non-blocking socket descriptor, woken through its
// Readiness by the owning thread's event loop. Reads go straight into the caller's
// buffer and writes straight to the kernel: no buffer of Qt's in between, no
// FIONREAD before each read, no signal per event (bench_io: QTcpSocket costs
// a fifth of a keep-alive server's throughput that this does not).
#pragma once

#include "bytestream.h"
#include "readiness.h"


#include <memory>

#include <sys/socket.h>

namespace bb::proxy {

// The kernel's form of an address and port; its length.
socklen_t socketAddress(const QHostAddress &address, quint16 port, sockaddr_storage *out);
// An accepted or new connection made non-blocking, with Nagle's delay off;
// false when it is not a socket that can be.
bool prepareDescriptor(int fd);
QHostAddress peerAddressOf(int fd);

class DescriptorSocket : public ByteStream, private Readiness::Listener {
public:
    using Listener = ByteStream::Listener;

    enum class State { Unconnected, Connecting, Connected };

    explicit DescriptorSocket(QObject *parent = nullptr);
    ~DescriptorSocket() override;
    DescriptorSocket(const DescriptorSocket &) = delete;
    DescriptorSocket &operator=(const DescriptorSocket &) = delete;

    // An accepted connection, made non-blocking here; false when it is not a socket.
    bool adopt(int descriptor);
    // Starts connecting; socketConnected or socketClosed(errno) follows
    // (at once, from here, when the kernel refuses before trying).
    void connectTo(const QHostAddress &address, quint16 port);

    State state() const { return m_state; }
    bool isOpen() const override { return m_state != State::Unconnected; }
    int descriptor() const { return m_fd; }
    QHostAddress peerAddress() const override;
    int error() const { return m_error; }
    QString errorString() const;

    // Appends what the kernel holds, up to max bytes; 0 when nothing waits.
    // Once the peer has closed its side, atEnd() (and socketClosed(0) after
    // the caller has taken the rest).
    qint64 readInto(QByteArray &buffer, qint64 max) override;
    bool atEnd() const { return m_atEnd; }
    // Off: nothing is read and socketReadable is not called; what the peer
    // sends waits in the kernel, whose window then holds it back.
    void setReading(bool on) override;

    // What the kernel does not take now waits here, and goes as it can.
    void write(const char *data, qint64 size) override;
    using ByteStream::write;
    qint64 bytesToWrite() const override { return m_out.size() - m_outOffset; }

    // Closes once everything written has gone (socketClosed(0) then).
    void closeAfterWrite() override;
    // Closes now, dropping what waits; no socketClosed.
    void abort() override;
    // Lets go of the descriptor, open, for another stream to carry (TLS
    // once connected); this one is then unconnected.
    int release();

private:
    void onReadable();
    void onWritable();
    void descriptorReadable() override { onReadable(); }
    void descriptorWritable() override { onWritable(); }
    void flush();
    void finish(int error) override;
    void closeDescriptor();

    int m_fd = -1;
    State m_state = State::Unconnected;
    std::unique_ptr<Readiness> m_readiness;
    QByteArray m_out;
    qint64 m_outOffset = 0;
    int m_error = 0;
    bool m_atEnd = false;
    bool m_reading = true;
    bool m_closeAfterWrite = false;
};

} // namespace bb::proxy
