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

// Where a dashboard's command goes: to every instance that has the target
// (no names), or to the instances named. An engine in this process is the
// one instance there is.
struct Scope {
    std::vector<std::string> instances;
};

struct InstanceOutcome;

struct CommandResult {
    // Unavailable: the instance that should have done it could not be asked
    // or did not answer (remote control); nothing is known to have changed.
    enum class Status { Ok, NotFound, Invalid, Unavailable };
    Status status = Status::Ok;
    std::vector<FieldError> errors; // Invalid: what is wrong
    bool windowReset = false;       // policy edits: the window started empty
    QString warning;                // applied, but something could not be saved
    QString unavailable;            // Unavailable: why, in one line
    // Over a fleet: what each instance the command went to answered. The
    // status above is then Ok only when every one of them did it.
    std::vector<InstanceOutcome> instances;
    bool ok() const { return status == Status::Ok; }
    static CommandResult notFound();
    static CommandResult unreachable(QString why);
};

struct InstanceOutcome {
    std::string instance;
    CommandResult result; // without instances of its own
};

// Defined once InstanceOutcome is complete (a vector of it is a member).
inline CommandResult CommandResult::notFound() { return {Status::NotFound, {}, false, {}, {}, {}}; }
inline CommandResult CommandResult::unreachable(QString why)
{
    return {Status::Unavailable, {}, false, {}, std::move(why), {}};
}

} // namespace bb::control
