// The options that name running instances, shared by the fleet commands
// (status, set) and the dashboard attached to instances (--attach, --fleet).
#pragma once

#include "remote/instance.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>
#include <vector>

namespace bb::app {

struct InstanceOptions {
    QCommandLineOption attach{
        "attach", "An instance's admin API: http:// or https://HOST:PORT (repeatable).", "URL"};
    QCommandLineOption fleet{"fleet", "A fleet file (YAML) naming instances; see the README.",
                             "FILE"};
    QCommandLineOption tokenFile{"token-file", "The admin token, for the instances that name none.",
                                 "FILE"};
    QCommandLineOption caFile{
        "ca-file",
        "CA certificates (PEM) to trust for https, instead of the system's, for the instances "
        "that name none.",
        "FILE"};
};

// The instances named with --attach and in --fleet, each with a token and CA
// file (its own, or --token-file and --ca-file); nullopt after saying why not.
std::optional<std::vector<remote::Instance>> instancesOf(const QCommandLineParser &parser, const InstanceOptions &o);

} // namespace bb::app
