#include "cause.h"

#include <array>
#include <cstdio>
#include <regex>
#include <stdexcept>

namespace bb {

namespace {
constexpr std::array<std::string_view, 5> kActionNames = {"force_open", "force_closed", "disable", "reset",
                                                          "half_open"};

std::string quote(std::string_view s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + '"';
}

std::string unquote(const std::string &s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size())
            ++i;
        out += s[i];
    }
    return out;
}

const char *const kQuoted = R"re("((?:[^"\\]|\\.)*)")re";
const char *const kNumber = R"re(([0-9]+(?:\.[0-9]+)?))re";
const char *const kInt = R"re(([0-9]+))re";
const char *const kAction = R"re((force_open|force_closed|disable|reset|half_open))re";

std::regex re(std::initializer_list<std::string> parts)
{
    std::string pattern;
    for (const auto &p : parts)
        pattern += p;
    return std::regex(pattern);
}

std::uint64_t toU(const std::ssub_match &m) { return std::stoull(m.str()); }
std::int64_t toI(const std::ssub_match &m) { return std::stoll(m.str()); }
double toD(const std::ssub_match &m) { return std::stod(m.str()); }
} // namespace

std::string_view nameOf(OperatorAction a) { return kActionNames[std::size_t(a)]; }

std::optional<OperatorAction> parseOperatorAction(std::string_view text)
{
    for (std::size_t i = 0; i < kActionNames.size(); ++i) {
        if (kActionNames[i] == text)
            return OperatorAction(i);
    }
    return std::nullopt;
}

std::string formatRate(double percent)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", percent);
    std::string s = buf;
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s;
}

std::string Cause::toString() const
{
    const std::string expiry = expiresInS ? " for " + std::to_string(*expiresInS) + " s" : "";
    switch (kind) {
    case CauseKind::None:
        return "none";
    case CauseKind::FailureRate:
        return "failure rate " + formatRate(rate) + "% ≥ " + formatRate(threshold) + "% over " +
               std::to_string(calls) + " calls";
    case CauseKind::SlowCallRate:
        return "slow-call rate " + formatRate(rate) + "% ≥ " + formatRate(threshold) + "% over " +
               std::to_string(calls) + " calls slower than " + std::to_string(slowMs) + " ms";
    case CauseKind::ConsecutiveFailures:
        return std::to_string(count) + " consecutive failures ≥ " + std::to_string(limit);
    case CauseKind::TrialFailure:
        return "trial call failed with " + std::to_string(count) + " of " + std::to_string(limit) +
               " permits used";
    case CauseKind::TrialSlow:
        return "trial call slower than " + std::to_string(slowMs) + " ms";
    case CauseKind::TrialSuccesses:
        return std::to_string(count) + " trial successes ≥ " + std::to_string(limit);
    case CauseKind::WaitElapsed:
        return "wait of " + std::to_string(waitMs) + " ms elapsed after open #" + std::to_string(count);
    case CauseKind::Operator:
        return "operator " + quote(actor) + " " + std::string(bb::nameOf(action)) + ": " + quote(reason) +
               expiry;
    case CauseKind::Expiry:
        return "expiry of " + std::string(bb::nameOf(action)) + " by " + quote(actor) + expiry;
    case CauseKind::Group:
        return std::to_string(count) + " of " + std::to_string(limit) + " members open " +
               (double(count) * 100.0 > threshold * double(limit) ? ">" : "≤") + " " + formatRate(threshold) +
               "%";
    case CauseKind::MemberOfGroup:
        return "group " + quote(group) + " " + std::string(bb::nameOf(action)) + " by " + quote(actor) + ": " +
               quote(reason);
    case CauseKind::Shared:
        // The other instance's cause ends the text unquoted: it reads as
        // that instance wrote it, and the quoted name says where it begins.
        return "on " + quote(actor) + (waitMs != 0 ? " with a wait of " + std::to_string(waitMs) + " ms" : "") +
               ": " + reason;
    }
    return {};
}

namespace {
std::optional<Cause> parseCause(std::string_view textView)
{
    static const std::regex failureRate = re({"^failure rate ", kNumber, "% ≥ ", kNumber, "% over ", kInt, " calls$"});
    static const std::regex slowRate = re({"^slow-call rate ", kNumber, "% ≥ ", kNumber, "% over ", kInt,
                                           " calls slower than ", kInt, " ms$"});
    static const std::regex consecutive = re({"^", kInt, " consecutive failures ≥ ", kInt, "$"});
    static const std::regex trialFailure = re({"^trial call failed with ", kInt, " of ", kInt, " permits used$"});
    static const std::regex trialSlow = re({"^trial call slower than ", kInt, " ms$"});
    static const std::regex trialSuccesses = re({"^", kInt, " trial successes ≥ ", kInt, "$"});
    static const std::regex waitElapsed = re({"^wait of ", kInt, " ms elapsed after open #", kInt, "$"});
    static const std::regex operatorAction =
        re({"^operator ", kQuoted, " ", kAction, ": ", kQuoted, "(?: for ", kInt, " s)?$"});
    static const std::regex expiry = re({"^expiry of ", kAction, " by ", kQuoted, "(?: for ", kInt, " s)?$"});
    static const std::regex group = re({"^", kInt, " of ", kInt, " members open (?:>|≤) ", kNumber, "%$"});
    static const std::regex member = re({"^group ", kQuoted, " ", kAction, " by ", kQuoted, ": ", kQuoted, "$"});
    static const std::regex shared = re({"^on ", kQuoted, "(?: with a wait of ", kInt, " ms)?: ([\\s\\S]*)$"});

    const std::string text(textView);
    std::smatch m;
    Cause c;
    if (text == "none") {
        return c;
    } else if (std::regex_match(text, m, failureRate)) {
        c.kind = CauseKind::FailureRate;
        c.rate = toD(m[1]), c.threshold = toD(m[2]), c.calls = toU(m[3]);
    } else if (std::regex_match(text, m, slowRate)) {
        c.kind = CauseKind::SlowCallRate;
        c.rate = toD(m[1]), c.threshold = toD(m[2]), c.calls = toU(m[3]), c.slowMs = toI(m[4]);
    } else if (std::regex_match(text, m, consecutive)) {
        c.kind = CauseKind::ConsecutiveFailures;
        c.count = toU(m[1]), c.limit = toU(m[2]);
    } else if (std::regex_match(text, m, trialFailure)) {
        c.kind = CauseKind::TrialFailure;
        c.count = toU(m[1]), c.limit = toU(m[2]);
    } else if (std::regex_match(text, m, trialSlow)) {
        c.kind = CauseKind::TrialSlow;
        c.slowMs = toI(m[1]);
    } else if (std::regex_match(text, m, trialSuccesses)) {
        c.kind = CauseKind::TrialSuccesses;
        c.count = toU(m[1]), c.limit = toU(m[2]);
    } else if (std::regex_match(text, m, waitElapsed)) {
        c.kind = CauseKind::WaitElapsed;
        c.waitMs = toI(m[1]), c.count = toU(m[2]);
    } else if (std::regex_match(text, m, operatorAction)) {
        c.kind = CauseKind::Operator;
        c.actor = unquote(m[1]), c.action = *parseOperatorAction(m[2].str()), c.reason = unquote(m[3]);
        if (m[4].matched)
            c.expiresInS = toI(m[4]);
    } else if (std::regex_match(text, m, expiry)) {
        c.kind = CauseKind::Expiry;
        c.action = *parseOperatorAction(m[1].str()), c.actor = unquote(m[2]);
        if (m[3].matched)
            c.expiresInS = toI(m[3]);
    } else if (std::regex_match(text, m, group)) {
        c.kind = CauseKind::Group;
        c.count = toU(m[1]), c.limit = toU(m[2]), c.threshold = toD(m[3]);
    } else if (std::regex_match(text, m, member)) {
        c.kind = CauseKind::MemberOfGroup;
        c.group = unquote(m[1]), c.action = *parseOperatorAction(m[2].str()), c.actor = unquote(m[3]),
        c.reason = unquote(m[4]);
    } else if (std::regex_match(text, m, shared)) {
        c.kind = CauseKind::Shared;
        c.actor = unquote(m[1]), c.reason = m[3].str();
        if (m[2].matched)
            c.waitMs = toI(m[2]);
    } else {
        return std::nullopt;
    }
    return c;
}
} // namespace

std::optional<Cause> Cause::parse(std::string_view text)
{
    // Numbers beyond their type (a cause from another machine can hold any) read as no cause.
    try {
        return parseCause(text);
    } catch (const std::out_of_range &) {
        return std::nullopt;
    } catch (const std::invalid_argument &) {
        return std::nullopt;
    }
}

} // namespace bb
