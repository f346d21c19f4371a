// Shared by the record tests: recordings written as text, and small
// configurations.
#pragma once

#include "common/parsedconfig.h"
#include "record/jsonline.h"
#include "record/recordingreader.h"

#include <QtTest>

#include <memory>
#include <string>

namespace bb::record::testing {

// One service, count window of 10, opens at 50% failures, waits 1 s.
inline const std::string kStrict = "circuit_breakers:\n"
                                   "  default:\n"
                                   "    failure_threshold: 0.5\n"
                                   "    recovery_timeout: 1000\n"
                                   "    window: {type: count, size: 10}\n"
                                   "    volume_threshold: 10\n"
                                   "    half_open: {permitted_calls: 1, success_threshold: 1}\n"
                                   "  services:\n"
                                   "    api: {}\n";

inline Configuration configOf(const std::string &yaml) { return bb::testing::parsed(yaml); }

// Adds calls every stepMs from startMs to "api": failures from failFromMs on.
inline void addCalls(std::string &text, double startMs, double endMs, double stepMs, CallOutcome outcome,
                     double latencyMs = 10, std::string_view service = "api")
{
    for (double t = startMs; t < endMs; t += stepMs) {
        RequestLine line;
        line.tMs = t;
        line.service = service;
        line.outcome = outcome;
        line.latencyMs = latencyMs;
        appendRequestLine(text, line);
    }
}

inline std::shared_ptr<const Recording> recordingOf(const std::string &text)
{
    LoadResult r = parseRecording(text);
    if (!r.recording)
        qFatal("test recording does not load: %s", r.error.c_str());
    return std::make_shared<const Recording>(std::move(*r.recording));
}

} // namespace bb::record::testing
