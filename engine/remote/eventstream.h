// The text/event-stream format of server-sent events, as the admin API's
// /api/v1/events writes it and the HTML standard defines it: "field: value"
// lines, events ended by a blank line, "data" lines joined, comments (":")
// skipped, "id" remembered for Last-Event-ID, "retry" read. Bytes go in as
// they arrive, split anywhere; whole events come out. An event larger than
// the limit stops the stream (error()): a server cannot make the reader hold
// without bound.
#pragma once

#include <QByteArray>

#include <functional>

namespace bb::remote {

struct StreamEvent {
    QByteArray type = "message"; // the "event" field
    QByteArray data;
    QByteArray id; // the last id seen, this event's or an earlier one's
};

class EventStreamParser {
public:
    using Handler = std::function<void(const StreamEvent &)>;
    explicit EventStreamParser(Handler handler, qsizetype limit = kDefaultLimit)
        : m_handler(std::move(handler)), m_limit(limit)
    {
    }

    // Returns false once the stream broke the limit; nothing more is read.
    bool feed(const QByteArray &bytes);
    bool failed() const { return m_failed; }
    const QByteArray &lastEventId() const { return m_lastId; }
    int retryMs() const { return m_retryMs; } // -1 until the server says

    static constexpr qsizetype kDefaultLimit = 64 << 20;

private:
    void line(QByteArrayView line);
    void dispatch();

    Handler m_handler;
    qsizetype m_limit;
    QByteArray m_pending; // an unfinished line
    bool m_afterCr = false; // the last byte was CR: a LF right after it ends nothing
    StreamEvent m_event;
    bool m_hasData = false;
    QByteArray m_lastId;
    int m_retryMs = -1;
    bool m_failed = false;
};

} // namespace bb::remote
