// A recording replayed against several configurations in one pass: the
// first configuration is the one compared against, the others are what-ifs.
// Each configuration has its own engine and virtual clock; they move
// together, in parallel where there are cores.
#pragma once

#include "replayreport.h"
#include "replayrun.h"

#include <memory>
#include <string>
#include <vector>

namespace bb::record {

struct NamedConfiguration {
    std::string name; // shown in output: the file's base name, made unique
    Configuration config;
};

// "incident/strict.yaml" → "strict"; repeated names get "-2", "-3", ….
std::vector<std::string> configurationNames(const std::vector<std::string> &paths);

class ReplaySet {
public:
    ReplaySet(std::shared_ptr<const Recording> recording, std::vector<NamedConfiguration> configs,
              std::uint64_t seed = 0);

    // Moves every configuration to tNs and returns their new transitions in
    // sortTransitions' order.
    std::vector<ReplayedTransition> advanceTo(std::int64_t tNs, unsigned threads = 0);
    std::int64_t positionNs() const { return m_runs.front()->positionNs(); }
    std::int64_t endNs() const { return m_runs.front()->endNs(); }
    bool atEnd() const { return m_runs.front()->atEnd(); }

    const std::vector<std::string> &names() const { return m_names; }
    const NamedConfiguration &config(std::size_t i) const { return m_configs[i]; }
    std::size_t size() const { return m_runs.size(); }
    ReplayRun &run(std::size_t i) { return *m_runs[i]; }

private:
    std::vector<NamedConfiguration> m_configs;
    std::vector<std::string> m_names;
    std::vector<std::unique_ptr<ReplayRun>> m_runs;
    std::vector<ReplayRun *> m_pointers;
};

} // namespace bb::record
