// What the event stream sends of an instance's state: the whole of it when a
// reader starts (a "snapshot" event), then, at each reader's rate, only the
// breakers, groups and services whose JSON changed since that reader last
// heard (an "update" event; one with nothing but the time says the instance
// is there and nothing changed). Durations go as instants (Times::Absolute),
// so a breaker that does not change sends nothing.
#pragma once

#include "sharedstatus.h"
#include "trafficsample.h"

#include "core/snapshot.h"

#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace bb::control {

class StreamChanges {
public:
    // Takes the state now and returns its version: the versions of what changed.
    // shared: the instance's link to its cluster, when it has one.
    std::uint64_t take(const EngineSnapshot &snapshot, const std::vector<ServiceTraffic> &traffic,
                       const std::optional<SharedStateStatus> &shared = std::nullopt);
    std::uint64_t version() const { return m_version; }

    // Everything, as of the last take().
    QJsonObject whole() const;
    // What changed after `version`; nullopt when the set of breakers, groups
    // or services changed since, and only the whole will do.
    std::optional<QJsonObject> since(std::uint64_t version) const;

private:
    struct Item {
        QJsonObject json;
        std::uint64_t changed = 0;
    };
    // Replaces items with fresh, keeping the version of those that did not change.
    void merge(std::vector<Item> &items, std::vector<QJsonObject> fresh);

    std::vector<Item> m_breakers;
    std::vector<Item> m_groups;
    std::vector<Item> m_traffic;
    Item m_shared; // empty json: no cluster
    std::int64_t m_wallMs = 0;
    std::uint64_t m_version = 0;
    std::uint64_t m_shapeChanged = 0;
};

} // namespace bb::control
