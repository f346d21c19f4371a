// The audit log: every operator action (who, when, what, why, from where),
// one JSON object per line, appended and never rewritten.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

class QJsonObject;

namespace bb::persist {

struct AuditEntry {
    std::int64_t wallMs = 0;
    std::string actor;  // who: a user or token name, "config-file"
    std::string origin; // from where: "gui", "api 127.0.0.1", "config", "demo"
    std::string target; // "breaker/payment-service", "group/payment", "config/FILE"
    std::string action; // force_open, force_closed, disable, reset, half_open, edit_policy, reload, reload_refused
    std::string reason;
    std::optional<std::int64_t> expiresInS;
    std::string detail; // what changed: the policy edit, what a reload applied or why it was refused
    // The instance it was done on, when a dashboard watches a fleet; empty
    // for this process. Not written: each instance keeps its own log.
    std::string instance;

    QJsonObject toJson() const;
    static std::optional<AuditEntry> fromJson(const QJsonObject &o);
    bool operator==(const AuditEntry &) const = default;
};

class AuditLog {
public:
    // Opens (creating with mode 0600) the file for appending.
    explicit AuditLog(QString path);
    ~AuditLog();
    AuditLog(const AuditLog &) = delete;
    AuditLog &operator=(const AuditLog &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    const QString &path() const { return m_path; }
    const QString &errorString() const { return m_error; }

    // Writes the entry as one line with a single write(): a process killed at
    // any moment leaves whole lines behind.
    bool append(const AuditEntry &entry);

    struct Tail {
        std::vector<AuditEntry> entries; // oldest first
        int unreadableLines = 0;         // skipped, e.g. a line cut by a full disk
    };
    // The last `limit` entries of the file.
    Tail readTail(std::size_t limit) const;

private:
    QString m_path;
    QString m_error;
    int m_fd = -1;
};

} // namespace bb::persist
