// libFuzzer harness: a record as another instance (or anyone who can write
// to the cluster's Redis) leaves it in a hash or on the cluster's channel.
// The reader refuses it with a reason, or gives a record that writes back to
// bytes that read as the same record; it never takes a record whose fields
// break the rules the writers keep (names, versions, sizes).
// Input: the record's bytes, whole.
#include "fuzzing.h"

#include "cluster/sharedrecord.h"
#include "config/sharedstateconfig.h"

#include <variant>

using namespace bb;
using namespace bb::cluster;

namespace {
template <typename R> void roundTrip(const R &r)
{
    const Decoded again = decodeRecord(encode(r));
    fuzz::check(again.record && std::holds_alternative<R>(*again.record), "again.record && std::holds_alternative<R>(*again.record)");
    fuzz::check(std::get<R>(*again.record) == r, "std::get<R>(*again.record) == r");
}

void checkVersion(const Version &v) { fuzz::check(v.atMs > 0 && isInstanceName(v.instance), "v.atMs > 0 && isInstanceName(v.instance)"); }
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const Decoded d = decodeRecord(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    fuzz::check(d.record.has_value() != !d.error.empty(), "d.record.has_value() != !d.error.empty()");
    if (!d.record)
        return 0;
    fuzz::check(size <= kMaxRecordBytes, "size <= kMaxRecordBytes");
    if (const auto *f = std::get_if<ForcedRecord>(&*d.record)) {
        fuzz::check(!f->name.empty() && !f->actor.empty(), "!f->name.empty() && !f->actor.empty()");
        checkVersion(f->version);
        roundTrip(*f);
    } else if (const auto *b = std::get_if<BreakerRecord>(&*d.record)) {
        fuzz::check(Cause::parse(b->cause).has_value() && b->waitMs >= 0, "Cause::parse(b->cause).has_value() && b->waitMs >= 0");
        checkVersion(b->version);
        roundTrip(*b);
    } else if (const auto *p = std::get_if<PolicyRecord>(&*d.record)) {
        checkVersion(p->version);
        roundTrip(*p);
    } else {
        fuzz::check(isInstanceName(std::get<AuditRecord>(*d.record).entry.instance), "isInstanceName(std::get<AuditRecord>(*d.record).entry.instance)");
    }
    return 0;
}
