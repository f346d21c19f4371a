#include "auditlog.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <unistd.h>

namespace bb::persist {

namespace {
QString str(const std::string &s) { return QString::fromStdString(s); }
std::string str(const QJsonValue &v) { return v.toString().toStdString(); }
} // namespace

QJsonObject AuditEntry::toJson() const
{
    QJsonObject o{{"time_ms", double(wallMs)}, {"actor", str(actor)},   {"origin", str(origin)},
                  {"target", str(target)},     {"action", str(action)}, {"reason", str(reason)}};
    if (expiresInS)
        o.insert("expires_in_s", double(*expiresInS));
    if (!detail.empty())
        o.insert("detail", str(detail));
    return o;
}

namespace {
// A whole number from 0 to 2^53, as every writer writes it.
std::optional<std::int64_t> wholeNumber(const QJsonValue &v)
{
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > 9007199254740992.0 || d != std::floor(d))
        return std::nullopt;
    return std::int64_t(d);
}
} // namespace

std::optional<AuditEntry> AuditEntry::fromJson(const QJsonObject &o)
{
    const auto time = wholeNumber(o.value("time_ms"));
    if (!time || !o.value("action").isString() || !o.value("target").isString())
        return std::nullopt;
    AuditEntry e;
    e.wallMs = *time;
    e.actor = str(o.value("actor"));
    e.origin = str(o.value("origin"));
    e.target = str(o.value("target"));
    e.action = str(o.value("action"));
    e.reason = str(o.value("reason"));
    if (o.contains("expires_in_s") && !o.value("expires_in_s").isNull()) {
        e.expiresInS = wholeNumber(o.value("expires_in_s"));
        if (!e.expiresInS)
            return std::nullopt;
    }
    e.detail = str(o.value("detail"));
    return e;
}

AuditLog::AuditLog(QString path) : m_path(std::move(path))
{
    m_fd = ::open(QFile::encodeName(m_path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0)
        m_error = QStringLiteral("cannot open the audit log %1: %2").arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
}

AuditLog::~AuditLog()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool AuditLog::append(const AuditEntry &entry)
{
    if (m_fd < 0)
        return false;
    const QByteArray line = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n';
    ssize_t written;
    do {
        written = ::write(m_fd, line.constData(), std::size_t(line.size()));
    } while (written < 0 && errno == EINTR);
    if (written != line.size()) {
        m_error = QStringLiteral("cannot append to the audit log %1: %2")
                      .arg(m_path, written < 0 ? QString::fromLocal8Bit(std::strerror(errno)) : QStringLiteral("short write"));
        return false;
    }
    return true;
}

AuditLog::Tail AuditLog::readTail(std::size_t limit) const
{
    Tail tail;
    QFile file(m_path);
    if (limit == 0 || !file.open(QIODevice::ReadOnly))
        return tail;
    std::deque<AuditEntry> kept;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        const auto entry = doc.isObject() ? AuditEntry::fromJson(doc.object()) : std::nullopt;
        if (!entry) {
            ++tail.unreadableLines;
            continue;
        }
        kept.push_back(*entry);
        if (kept.size() > limit)
            kept.pop_front();
    }
    tail.entries.assign(kept.begin(), kept.end());
    return tail;
}

} // namespace bb::persist
