#include "eventstream.h"

namespace bb::remote {

bool EventStreamParser::feed(const QByteArray &bytes)
{
    if (m_failed)
        return false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c != '\n' && c != '\r')
            continue;
        const bool lfAfterCr = c == '\n' && m_afterCr && i == start && m_pending.isEmpty();
        m_afterCr = c == '\r';
        if (lfAfterCr) {
            start = i + 1;
            continue;
        }
        if (m_pending.isEmpty()) {
            line(QByteArrayView(bytes).sliced(start, i - start));
        } else {
            m_pending.append(bytes.constData() + start, i - start);
            line(m_pending);
            m_pending.clear();
        }
        start = i + 1;
        if (m_failed)
            return false;
    }
    if (start < bytes.size()) {
        m_afterCr = false;
        m_pending.append(bytes.constData() + start, bytes.size() - start);
    }
    if (m_pending.size() + m_event.data.size() > m_limit)
        m_failed = true;
    return !m_failed;
}

void EventStreamParser::line(QByteArrayView text)
{
    if (text.isEmpty()) {
        dispatch();
        return;
    }
    if (text.front() == ':')
        return;
    const qsizetype colon = text.indexOf(':');
    const QByteArrayView field = colon < 0 ? text : text.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : text.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "data") {
        if (m_event.data.size() + value.size() > m_limit) {
            m_failed = true;
            return;
        }
        if (m_hasData)
            m_event.data += '\n';
        m_event.data += value;
        m_hasData = true;
    } else if (field == "event") {
        m_event.type = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastId = value.toByteArray();
    } else if (field == "retry") {
        bool ok = false;
        const int ms = value.toByteArray().toInt(&ok);
        if (ok && ms >= 0 && value.indexOf('+') < 0 && value.indexOf('-') < 0)
            m_retryMs = ms;
    }
}

void EventStreamParser::dispatch()
{
    StreamEvent event;
    std::swap(event, m_event);
    const bool hasData = m_hasData;
    m_hasData = false;
    if (!hasData)
        return;
    event.id = m_lastId;
    m_handler(event);
}

} // namespace bb::remote
