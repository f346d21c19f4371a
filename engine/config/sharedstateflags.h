// The command line over the configuration's `shared_state:`: --redis URL
// supplies or replaces the Redis URL (alone, it turns shared state on with
// the defaults); --instance NAME names this instance.
#pragma once

#include "sharedstateconfig.h"

#include <optional>
#include <string>

namespace bb {

struct SharedStateFlags {
    std::optional<std::string> redis;    // --redis URL
    std::optional<std::string> instance; // --instance NAME
};

// The flags' own problems, checked before anything starts: the first as one
// line ("--redis: ..."), or empty when there is none.
std::string checkSharedStateFlags(const SharedStateFlags &flags);

struct SharedStateSettings {
    SharedStateConfig config;
    std::string instance;
    bool operator==(const SharedStateSettings &) const = default;
};

// The file's block with the flags over it; nullopt when neither asks for
// shared state. The instance is --instance, else defaultInstance. A password
// in --redis replaces the file's password_file. Flags must have passed
// checkSharedStateFlags.
std::optional<SharedStateSettings> mergeSharedState(const std::optional<SharedStateConfig> &fromFile,
                                                    const SharedStateFlags &flags, const std::string &defaultInstance);

} // namespace bb
