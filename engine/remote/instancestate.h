// What a remote dashboard knows of one instance, kept from its event stream:
// the "snapshot" event replaces it all, an "update" changes what it names,
// and each gives the observation the window reads. Durations move on with
// the instance's clock (the time of each event), not this machine's. How the
// instance's link to its cluster's shared state stands comes in the
// snapshot and again in each update when it changed.
#pragma once

#include "control/trafficsample.h"

#include <QJsonObject>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace bb::remote {

class InstanceState {
public:
    // A whole snapshot. False (and nothing changed) when it is malformed or
    // its histogram bounds are not this program's.
    bool replace(const QJsonObject &snapshot);
    // An update; false (and nothing changed) when malformed or when it names
    // what the last snapshot did not have.
    bool update(const QJsonObject &changes);

    bool known() const { return m_snapshot != nullptr; }
    std::shared_ptr<const control::Observation> observation() const;
    std::int64_t wallMs() const { return m_snapshot ? m_snapshot->wallMs : 0; }
    void clear() { m_snapshot.reset(); }

private:
    struct Parsed;
    static std::optional<Parsed> parse(const QJsonObject &o, std::int64_t wallMs);

    std::shared_ptr<EngineSnapshot> m_snapshot;
    std::vector<control::ServiceTraffic> m_traffic;
    std::optional<control::SharedStateStatus> m_shared; // unset: the instance shares nothing
    std::unordered_map<std::string, std::size_t> m_breakerIndex, m_groupIndex, m_trafficIndex;
};

} // namespace bb::remote
