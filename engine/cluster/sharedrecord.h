// What instances of one cluster write to Redis and read back, as values:
// operators' forced states and policy edits, each with a version, and the
// JSON they travel as (in the cluster's hashes and on its channel). Reading
// is strict: a record that is not exactly what this version writes is
// refused with the reason, and never applied.
#pragma once

#include "core/cause.h"
#include "persist/auditlog.h"

#include <QByteArray>
#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace bb::cluster {

// When an operator acted: the later action wins. Wall-clock milliseconds,
// then the acting instance's own count (two actions in one millisecond),
// then the instance's name, so that every instance orders any two alike.
struct Version {
    std::int64_t atMs = 0;
    std::uint64_t seq = 0;
    std::string instance;
    auto operator<=>(const Version &) const = default;
};

// The last operator action on a breaker or group; forced while its action
// forces and it has not expired.
struct ForcedRecord {
    bool isGroup = false;
    std::string name;
    OperatorAction action = OperatorAction::Reset;
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expiresAtMs; // wall clock
    Version version;

    std::string field() const { return (isGroup ? "group/" : "breaker/") + name; }
    bool forces(std::int64_t nowMs) const;
    bool operator==(const ForcedRecord &) const = default;
};

// A service's whole policy as an operator or a reload left it.
struct PolicyRecord {
    std::string service;
    QJsonObject policy; // the configuration's policy keys (control::policyJson)
    std::string actor;
    std::string reason;
    Version version;
    bool operator==(const PolicyRecord &) const = default;
};

// A breaker's own decision on one instance, for the others to follow
// (`breakers: follow`): it opened (for waitMs from openedAtMs, the wall
// clock) or its trials closed it. The instance is version.instance.
struct BreakerRecord {
    std::string name;
    bool open = true;
    std::string cause; // the deciding instance's cause, as Cause::toString() wrote it
    std::int64_t openedAtMs = 0;
    std::int64_t waitMs = 0;
    Version version;
    bool operator==(const BreakerRecord &) const = default;
};

// An audit entry some instance appended to the cluster's stream.
struct AuditRecord {
    persist::AuditEntry entry; // entry.instance: who appended it
};

using SharedRecord = std::variant<ForcedRecord, PolicyRecord, AuditRecord, BreakerRecord>;

QByteArray encode(const ForcedRecord &r);
QByteArray encode(const PolicyRecord &r);
QByteArray encode(const AuditRecord &r);
QByteArray encode(const BreakerRecord &r);

struct Decoded {
    std::optional<SharedRecord> record;
    std::string error; // set when record is not
};
Decoded decodeRecord(const QByteArray &json);

inline constexpr int kRecordFormat = 1;
inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;

} // namespace bb::cluster
