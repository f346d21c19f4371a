#include "replayreport.h"

#include "jsonline.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace bb::record {

namespace {
std::string padded(std::string text, std::size_t width)
{
    // Columns count characters, not bytes: "—" and "→" are one each.
    std::size_t shown = 0;
    for (const char c : text)
        shown += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (shown < width)
        text.append(width - shown, ' ');
    return text;
}

// "payment-service", or "group payment".
std::string subjectLabel(bool isGroup, const std::string &name)
{
    std::string label = isGroup ? "group " : "";
    label += name;
    return label;
}

std::string plural(std::uint64_t n, const char *one, const char *many)
{
    return std::to_string(n) + ' ' + (n == 1 ? one : many);
}
} // namespace

void sortTransitions(std::vector<ReplayedTransition> &transitions)
{
    std::stable_sort(transitions.begin(), transitions.end(), [](const auto &a, const auto &b) {
        if (a.event.at != b.event.at)
            return a.event.at < b.event.at;
        if (a.config != b.config)
            return a.config < b.config;
        return a.event.sequence < b.event.sequence;
    });
}

std::string formatOffset(std::int64_t ns)
{
    const std::int64_t totalMs = std::max<std::int64_t>(0, ns) / 1000000;
    const std::int64_t hours = totalMs / 3600000;
    const std::int64_t minutes = totalMs / 60000 % 60;
    const double secondsPart = double(totalMs % 60000) / 1000.0;
    char text[40];
    if (hours > 0)
        std::snprintf(text, sizeof text, "%lld:%02lld:%06.3f", static_cast<long long>(hours),
                      static_cast<long long>(minutes), secondsPart);
    else
        std::snprintf(text, sizeof text, "%lld:%06.3f", static_cast<long long>(minutes), secondsPart);
    return text;
}

std::string jsonTransition(const std::string &config, const TransitionEvent &event)
{
    std::string out;
    JsonObject o(out);
    o.text("config", config).number("t", double(event.at.time_since_epoch().count()) / 1e6);
    o.text("breaker", event.subject);
    if (event.isGroup)
        o.flag("group", true);
    o.text("from", nameOf(event.from)).text("to", nameOf(event.to)).text("cause", event.cause.toString());
    o.close();
    return out;
}

std::string textTransition(const std::string &config, std::size_t configWidth, const TransitionEvent &event)
{
    std::string line = "  ";
    line += padded(formatOffset(event.at.time_since_epoch().count()), 11);
    if (configWidth > 0)
        line += padded(config, configWidth + 2);
    line += subjectLabel(event.isGroup, event.subject);
    line += "  ";
    line += nameOf(event.from);
    line += " → ";
    line += nameOf(event.to);
    line += "  ";
    line += event.cause.toString();
    return line;
}

std::string jsonSummary(const std::string &config, const ReplaySummary &s)
{
    std::string out;
    JsonObject o(out);
    o.text("config", config);
    JsonObject summary = o.object("summary");
    summary.integer("calls", std::int64_t(s.calls)).integer("rejected", std::int64_t(s.rejected));
    summary.integer("would_reject", std::int64_t(s.wouldReject));
    summary.integer("assumed_outcomes", std::int64_t(s.assumed)).integer("unplayable", std::int64_t(s.unplayable));
    summary.integer("unknown_service", std::int64_t(s.unknownService));
    JsonObject breakers = summary.object("breakers");
    for (const SubjectSummary &subject : s.subjects) {
        JsonObject one = breakers.object(subject.name);
        one.integer("opens", std::int64_t(subject.opens)).number("open_ms", double(subject.openNs) / 1e6);
        one.integer("rejected", std::int64_t(subject.rejected));
        if (!subject.isGroup)
            one.integer("would_reject", std::int64_t(subject.wouldReject));
        if (subject.isGroup)
            one.flag("group", true);
        one.close();
    }
    breakers.close();
    summary.close();
    o.close();
    return out;
}

std::vector<std::string> textSummary(const std::string &config, const ReplaySummary &s)
{
    std::vector<std::string> lines;
    std::string head = config + ": " + plural(s.calls, "call", "calls") + ", " + std::to_string(s.rejected) + " rejected";
    if (s.wouldReject)
        head += ", " + std::to_string(s.wouldReject) + " let through that it would have rejected";
    if (s.assumed)
        head += ", " + std::to_string(s.assumed) + " admitted with an assumed outcome";
    if (s.unplayable)
        head += ", " + std::to_string(s.unplayable) + " admitted with no outcome to assume";
    if (s.unknownService)
        head += ", " + std::to_string(s.unknownService) + " to services it does not configure";
    lines.push_back(head);
    std::size_t width = 0;
    for (const SubjectSummary &subject : s.subjects)
        width = std::max(width, subjectLabel(subject.isGroup, subject.name).size());
    std::size_t quiet = 0;
    for (const SubjectSummary &subject : s.subjects) {
        if (subject.opens == 0 && subject.rejected == 0) {
            ++quiet;
            continue;
        }
        std::string line = "  ";
        line += padded(subjectLabel(subject.isGroup, subject.name), width + 2);
        if (subject.opens == 0)
            line += "never opened";
        else
            line += "opened " + plural(subject.opens, "time", "times") + ", open " + formatOffset(subject.openNs);
        if (!subject.isGroup)
            line += ", " + std::to_string(subject.rejected) + " rejected";
        if (subject.wouldReject)
            line += ", " + std::to_string(subject.wouldReject) + " let through (would reject)";
        lines.push_back(line);
    }
    if (quiet > 0)
        lines.push_back(quiet == s.subjects.size() ? std::string("  no breaker or group opened")
                        : quiet == 1               ? std::string("  1 other breaker or group never opened")
                                                   : "  " + std::to_string(quiet) + " other breakers and groups never opened");
    return lines;
}

std::vector<std::string> tripComparison(const std::vector<std::string> &configs,
                                        const std::vector<ReplayedTransition> &transitions)
{
    // subject → per configuration, the times it opened.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::vector<std::int64_t>>> opens;
    for (const ReplayedTransition &t : transitions) {
        if (t.event.to != BreakerState::Open)
            continue;
        const std::string subject = subjectLabel(t.event.isGroup, t.event.subject);
        auto [it, inserted] = opens.try_emplace(subject, configs.size());
        if (inserted)
            order.push_back(subject);
        it->second[t.config].push_back(t.tNs());
    }
    std::size_t subjectWidth = 7;
    for (const std::string &subject : order)
        subjectWidth = std::max(subjectWidth, subject.size());
    std::vector<std::size_t> widths;
    for (const std::string &config : configs)
        widths.push_back(std::max<std::size_t>(config.size(), 10) + 2);

    std::vector<std::string> lines;
    std::string header = "  ";
    header += padded("breaker", subjectWidth + 2) + padded("open", 6);
    for (std::size_t c = 0; c < configs.size(); ++c)
        header += padded(configs[c], widths[c]);
    while (!header.empty() && header.back() == ' ')
        header.pop_back();
    lines.push_back(header);
    if (order.empty())
        lines.push_back("  (no breaker opened in any configuration)");
    for (const std::string &subject : order) {
        const auto &perConfig = opens[subject];
        std::size_t rows = 0;
        for (const auto &times : perConfig)
            rows = std::max(rows, times.size());
        for (std::size_t n = 0; n < rows; ++n) {
            std::string line = "  ";
            line += padded(n == 0 ? subject : "", subjectWidth + 2);
            line += padded(std::string("#") += std::to_string(n + 1), 6);
            bool differs = false;
            for (std::size_t c = 0; c < configs.size(); ++c) {
                const bool has = n < perConfig[c].size();
                line += padded(has ? formatOffset(perConfig[c][n]) : "—", widths[c]);
                const bool firstHas = n < perConfig[0].size();
                differs = differs || has != firstHas || (has && perConfig[c][n] != perConfig[0][n]);
            }
            if (differs)
                line += "differs";
            while (!line.empty() && line.back() == ' ')
                line.pop_back();
            lines.push_back(line);
        }
    }
    return lines;
}

} // namespace bb::record
