// Writes a message head (and a short answer's body after it) into one buffer,
// each piece a bounds check and a memcpy. A head is twenty-odd pieces:
// QByteArray::append is a call with its own checks for each, and was a
// twentieth of the proxy's time per request.
#pragma once

#include <QByteArray>

#include <charconv>
#include <cstring>
#include <string_view>

namespace bb::proxy {

class HeadWriter {
public:
    explicit HeadWriter(qsizetype capacity = 512)
    {
        m_out.resize(capacity);
        m_at = m_out.data();
        m_end = m_at + capacity;
    }

    HeadWriter &operator<<(std::string_view text)
    {
        put(text.data(), text.size());
        return *this;
    }
    template <std::size_t N> HeadWriter &operator<<(const char (&literal)[N])
    {
        put(literal, N - 1);
        return *this;
    }
    HeadWriter &operator<<(const char *text) { return *this << std::string_view(text); }
    HeadWriter &operator<<(const std::string &text) { return *this << std::string_view(text); }
    HeadWriter &operator<<(const QByteArray &bytes)
    {
        put(bytes.constData(), std::size_t(bytes.size()));
        return *this;
    }
    HeadWriter &operator<<(char c)
    {
        put(&c, 1);
        return *this;
    }
    HeadWriter &number(unsigned long long value, int base = 10)
    {
        char digits[24];
        const auto r = std::to_chars(digits, digits + sizeof digits, value, base);
        put(digits, std::size_t(r.ptr - digits));
        return *this;
    }

    QByteArray take()
    {
        m_out.truncate(m_at - m_out.data());
        return std::move(m_out);
    }

private:
    void put(const char *data, std::size_t size)
    {
        if (std::size_t(m_end - m_at) < size)
            grow(size);
        std::memcpy(m_at, data, size);
        m_at += size;
    }
    void grow(std::size_t size)
    {
        const qsizetype used = m_at - m_out.data();
        m_out.resize(std::max(2 * m_out.size(), used + qsizetype(size)));
        m_at = m_out.data() + used;
        m_end = m_out.data() + m_out.size();
    }

    QByteArray m_out;
    char *m_at;
    char *m_end;
};

} // namespace bb::proxy
