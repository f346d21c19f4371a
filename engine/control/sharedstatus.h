// How an instance's link to its cluster's shared state stands, and the
// cluster's audit as that link last read it: what the admin API, the
// metrics and the dashboards show. The link itself lives in engine/cluster;
// control knows it only through this interface.
#pragma once

#include "persist/auditlog.h"

#include <QString>

#include <optional>

#include <cstdint>
#include <string>
#include <vector>

class QJsonObject;

namespace bb::control {

struct SharedStateStatus {
    enum class Link { Connecting, Connected, Down };
    Link link = Link::Connecting;
    std::string cluster;
    std::string redis;    // HOST:PORT/DB, never a password
    std::string instance; // this instance's name in the cluster
    std::string breakers; // "local" or "follow"
    QString problem;      // Down: why, in one line
    std::int64_t sinceMs = 0;       // wall clock: when the link took this state
    std::uint64_t refusedRecords = 0; // records in Redis that did not parse, since start
    std::uint64_t unsent = 0;         // changes made here that Redis has not taken yet
    bool operator==(const SharedStateStatus &) const = default;
};

// "connected", "connecting", "down".
QString linkLabel(SharedStateStatus::Link link);
// As the admin API writes it, and back (nullopt: not such an object).
QJsonObject sharedStateJson(const SharedStateStatus &status);
std::optional<SharedStateStatus> sharedStateFromJson(const QJsonObject &o);

class SharedStateSource {
public:
    virtual ~SharedStateSource() = default;
    virtual SharedStateStatus sharedState() const = 0;
    // The cluster's audit, newest last: at most limit entries, each with its instance.
    virtual std::vector<persist::AuditEntry> clusterAudit(std::size_t limit) const = 0;
};

} // namespace bb::control
