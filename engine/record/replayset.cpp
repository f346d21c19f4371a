#include "replayset.h"

#include "parallelreplay.h"

#include <algorithm>
#include <map>

namespace bb::record {

std::vector<std::string> configurationNames(const std::vector<std::string> &paths)
{
    std::vector<std::string> names;
    std::map<std::string, int> seen;
    for (const std::string &path : paths) {
        std::string name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
        if (const auto dot = name.find_last_of('.'); dot != std::string::npos && dot > 0)
            name.resize(dot);
        if (name.empty())
            name = "config";
        const int n = ++seen[name];
        if (n > 1)
            name += '-' + std::to_string(n);
        names.push_back(name);
    }
    return names;
}

ReplaySet::ReplaySet(std::shared_ptr<const Recording> recording, std::vector<NamedConfiguration> configs,
                     std::uint64_t seed)
    : m_configs(std::move(configs))
{
    for (const NamedConfiguration &c : m_configs) {
        m_names.push_back(c.name);
        m_runs.push_back(std::make_unique<ReplayRun>(recording, c.config, seed));
        m_pointers.push_back(m_runs.back().get());
    }
}

std::vector<ReplayedTransition> ReplaySet::advanceTo(std::int64_t tNs, unsigned threads)
{
    advanceAll(m_pointers, tNs, threads);
    std::vector<ReplayedTransition> out;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        for (TransitionEvent &event : m_runs[i]->takeTransitions())
            out.push_back({i, std::move(event)});
    }
    sortTransitions(out);
    return out;
}

} // namespace bb::record
