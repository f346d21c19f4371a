// libFuzzer harness: an instance's event stream as a remote dashboard reads
// it (text/event-stream, then the JSON of each event). The stream is read
// twice, whole and in the pieces the first byte chooses, and must give the
// same events with the same ids; no event beyond the reader's limit comes
// out. Each event then goes where RemoteDashboardControl sends it: snapshots
// and updates into an InstanceState (one refused leaves it as it was; one
// taken has the breakers it named), transitions and audit entries through
// their readers.
// Input: the split byte (tests/fuzz/fuzzing.h), then the stream.
#include "fuzzing.h"

#include "control/apijson.h"
#include "persist/auditlog.h"
#include "remote/eventstream.h"
#include "remote/instancestate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <vector>

using namespace bb;
using namespace bb::remote;

namespace {
constexpr qsizetype kLimit = 1 << 16;

std::vector<StreamEvent> readAll(fuzz::Pieces &pieces, bool whole, bool *failed)
{
    std::vector<StreamEvent> events;
    EventStreamParser parser([&events](const StreamEvent &e) { events.push_back(e); }, kLimit);
    if (whole) {
        parser.feed(QByteArray(pieces.stream().data(), qsizetype(pieces.stream().size())));
    } else {
        while (!pieces.atEnd()) {
            const std::string_view piece = pieces.next();
            if (!parser.feed(QByteArray(piece.data(), qsizetype(piece.size()))))
                break;
        }
    }
    *failed = parser.failed();
    return events;
}

void apply(InstanceState &state, const StreamEvent &e)
{
    const QJsonObject data = QJsonDocument::fromJson(e.data).object();
    if (e.type == "snapshot" || e.type == "update") {
        const auto before = state.observation();
        const bool taken = e.type == "snapshot" ? state.replace(data) : state.update(data);
        const auto after = state.observation();
        if (!taken) {
            fuzz::check(before == after || (before && after && before->engine == after->engine),
                        "a refused snapshot or update changed the state");
            return;
        }
        fuzz::check(after != nullptr, "a taken snapshot left nothing");
        if (e.type == "snapshot")
            fuzz::check(after->engine->breakers.size() == std::size_t(data.value("breakers").toArray().size()),
                        "a snapshot's breakers were not all taken");
    } else if (e.type == "transition") {
        if (const auto t = control::transitionFromJson(data))
            fuzz::check(!t->subject.empty(), "a transition without a subject was read");
    } else if (e.type == "operator_action") {
        (void)persist::AuditEntry::fromJson(data);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    fuzz::Pieces pieces(data, size);
    bool wholeFailed = false, piecesFailed = false;
    const auto whole = readAll(pieces, true, &wholeFailed);
    const auto cut = readAll(pieces, false, &piecesFailed);
    if (!wholeFailed && !piecesFailed) {
        fuzz::check(whole.size() == cut.size(), "the cuts changed how many events came out");
        for (std::size_t i = 0; i < whole.size(); ++i)
            fuzz::check(whole[i].type == cut[i].type && whole[i].data == cut[i].data && whole[i].id == cut[i].id,
                        "the cuts changed an event", whole[i].data.toStdString());
    }
    InstanceState state;
    for (const StreamEvent &e : cut) {
        fuzz::check(e.data.size() <= kLimit, "an event beyond the limit came out");
        apply(state, e);
    }
    return 0;
}
