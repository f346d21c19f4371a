#include "fleetsummary.h"

#include <map>

namespace bb::remote {

int severity(BreakerState state) {
    switch (state) {
    case BreakerState::Closed:
        return 0;
    case BreakerState::ForcedClosed:
        return 1;
    case BreakerState::Disabled:
        return 2;
    case BreakerState::HalfOpen:
        return 3;
    case BreakerState::Open:
        return 4;
    case BreakerState::ForcedOpen:
        return 5;
    }
    return 0;
}

bool turnsCallsAway(BreakerState state) {
    return state == BreakerState::Open || state == BreakerState::ForcedOpen;
}

std::uint64_t requestsOf(const QJsonObject &breaker) {
    const QJsonObject totals = breaker.value(QLatin1String("totals")).toObject();
    std::uint64_t sum = 0;
    for (const char *key : {"successes", "failures", "ignored", "rejected"})
        sum += std::uint64_t(totals.value(QLatin1String(key)).toDouble());
    return sum;
}

std::vector<FleetBreaker> mergeBreakers(const std::vector<InstanceBreakers> &answered) {
    std::map<QString, FleetBreaker> rows;
    for (const InstanceBreakers &instance : answered) {
        for (const QJsonValue &value : instance.breakers) {
            const QJsonObject b = value.toObject();
            const auto state =
                parseBreakerState(b.value(QLatin1String("state")).toString().toStdString());
            const QString name = b.value(QLatin1String("name")).toString();
            if (!state || name.isEmpty())
                continue;
            FleetBreaker &row = rows[name];
            row.name = name;
            if (row.states.empty() || severity(*state) > severity(row.worst))
                row.worst = *state;
            row.states.emplace_back(instance.instance, *state);
            row.instancesOpen += turnsCallsAway(*state) ? 1 : 0;
            row.requestsTotal += requestsOf(b);
        }
    }
    std::vector<FleetBreaker> merged;
    for (auto &[name, row] : rows)
        merged.push_back(std::move(row));
    return merged;
}

} // namespace bb::remote
