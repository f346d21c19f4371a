// The values every control interface speaks in: who acts, on what, and what
// a command answered. Shared by the control service, the dashboard's
// control interface and the admin API.
#pragma once

#include <QString>

#include <string>
#include <vector>

namespace bb::control {

// Who did something ("alice", "config-file") and from where ("gui",
// "api 127.0.0.1", "config", "restore").
struct Actor {
    std::string name;
    std::string origin;
};

enum class TargetKind { Breaker, Group };

struct FieldError {
    std::string field; // as in the API and the configuration file
    std::string message;
};

struct CommandResult {
    enum class Status { Ok, NotFound, Invalid };
    Status status = Status::Ok;
    std::vector<FieldError> errors; // Invalid: what is wrong
    bool windowReset = false;       // policy edits: the window started empty
    QString warning;                // applied, but something could not be saved
    bool ok() const { return status == Status::Ok; }
    static CommandResult notFound() { return {Status::NotFound, {}, false, {}}; }
};

} // namespace bb::control
