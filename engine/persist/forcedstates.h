// Breakers and groups an operator forced (open, closed or disabled), with
// who, why and until when: saved after every change so that a restart, even
// after kill -9, finds them forced again.
#pragma once

#include "core/cause.h"
#include "core/snapshot.h"

#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace bb::persist {

struct ForcedState {
    bool isGroup = false;
    std::string name;
    OperatorAction action = OperatorAction::ForceOpen; // ForceOpen, ForceClosed or Disable
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expiresAtMs; // wall clock
    bool operator==(const ForcedState &) const = default;
};

// The action that leads to a forced state; nullopt for the states breakers take by themselves.
std::optional<OperatorAction> forcingAction(BreakerState s);

// Every forced breaker and group of a snapshot.
std::vector<ForcedState> forcedStatesOf(const EngineSnapshot &snapshot);

QByteArray encodeForcedStates(const std::vector<ForcedState> &states);

struct ForcedStatesFile {
    std::vector<ForcedState> states;
    QString error; // set when the file exists but cannot be read
};
// A missing file is no forced state and no error.
ForcedStatesFile loadForcedStates(const QString &path);

} // namespace bb::persist
