// A connection's bytes as the proxy's client side uses them, whatever carries
// them: a plain descriptor (DescriptorSocket) or OpenSSL's TLS (TlsStream). Events
// come as direct calls to one listener, not as signals.
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>

namespace bb::proxy {

// Empties a buffer that is read into again soon. Room for a message head or
// a short answer stays, so the next one costs no allocation; more than that
// is given back, so an idle connection holds little.
inline void emptyKeepingRoom(QByteArray &buffer)
{
    constexpr qsizetype kKeptRoom = 4096;
    if (buffer.capacity() <= kKeptRoom)
        buffer.resize(0);
    else
        buffer.clear();
}

class ByteStream : public QObject {
public:
    // Each call may delete the stream's owner only in socketClosed, the last.
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void socketConnected() {}
        // Bytes wait: read them (readInto until it gives less than asked) or
        // stop reading.
        virtual void socketReadable() = 0;
        // Some of what was written has gone; more still waits.
        virtual void socketWritten() {}
        // Everything written has gone to the kernel.
        virtual void socketDrained() = 0;
        // The stream is closed: error 0 when the peer ended it cleanly (or it
        // was closed after writing), else the errno that ended it (-1: not an
        // errno, a TLS failure).
        virtual void socketClosed(int error) = 0;
    };

    using QObject::QObject;
    void setListener(Listener *listener) { m_listener = listener; }

    virtual bool isOpen() const = 0;
    virtual QHostAddress peerAddress() const = 0;
    // Appends what has arrived, up to max bytes; less than max once nothing
    // more waits.
    virtual qint64 readInto(QByteArray &buffer, qint64 max) = 0;
    // Off: nothing is read and socketReadable is not called; what the peer
    // sends waits below, whose window then holds it back.
    virtual void setReading(bool on) = 0;
    // What cannot go now waits here, and goes as it can.
    virtual void write(const char *data, qint64 size) = 0;
    void write(const QByteArray &bytes) { write(bytes.constData(), bytes.size()); }
    virtual qint64 bytesToWrite() const = 0;
    // Closes once everything written has gone (socketClosed(0) then).
    virtual void closeAfterWrite() = 0;
    // Closes now, dropping what waits; no socketClosed.
    virtual void abort() = 0;

protected:
    // The descriptor is closed and the listener told socketClosed(error),
    // when the stream is still open.
    virtual void finish(int error) = 0;
    // The same from the event loop: not from inside the caller's own call,
    // and not on a later connection of this object.
    void finishLater(int error);
    // Counts the connections this object has carried.
    quint64 m_generation = 0;
    Listener *m_listener = nullptr;
};

} // namespace bb::proxy
