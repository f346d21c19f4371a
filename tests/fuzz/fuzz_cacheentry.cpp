// libFuzzer harness: one cache-fallback entry as another instance sends it
// through shared state. The decoder refuses it or gives an entry the proxy
// could serve: a status in 100..599, header fields and a reason that cannot
// end a line, sizes within CacheEntryLimits. An entry taken encodes back to
// an entry that decodes the same, and goes into a cache by putShared as the
// shared-state link would put it, within the cache's limits.
// Input: the encoded entry (CBOR), whole.
#include "fuzzing.h"

#include "proxy/cacheentrycodec.h"

using namespace bb;
using namespace bb::proxy;

namespace {
bool endsNoLine(const std::string &text)
{
    return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

bool sameEntry(const DecodedCacheEntry &a, const DecodedCacheEntry &b)
{
    return a.storedAtWallMs == b.storedAtWallMs && a.response.status == b.response.status &&
           a.response.reason == b.response.reason && a.response.fields == b.response.fields &&
           a.response.body == b.response.body;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray encoded(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto entry = decodeCachedResponse(encoded);
    if (!entry)
        return 0;
    const CachedResponse &r = entry->response;
    fuzz::check(r.status >= 100 && r.status <= 599, "a status outside 100..599 was taken");
    fuzz::check(entry->storedAtWallMs >= 0, "a store time before 1970 was taken");
    fuzz::check(endsNoLine(r.reason), "a reason that ends a line was taken", r.reason);
    fuzz::check(r.body.size() <= CacheEntryLimits::bodyBytes, "a body beyond the limit was taken");
    fuzz::check(qsizetype(r.fields.size()) <= CacheEntryLimits::fields, "more fields than the limit were taken");
    for (const auto &[name, text] : r.fields)
        fuzz::check(!name.empty() && endsNoLine(name) && endsNoLine(text), "a field that ends a line was taken", name);

    const auto again = decodeCachedResponse(encodeCachedResponse(r, entry->storedAtWallMs));
    fuzz::check(again && sameEntry(*entry, *again), "an entry taken did not encode back to itself");

    const TimePoint now{std::chrono::hours(24 * 365 * 60)};
    ResponseCache cache(std::chrono::hours(1), 2, 1 << 12);
    const Duration age = cacheEntryAge(entry->storedAtWallMs, 1'700'000'000'000);
    const bool stored = cache.putShared("GET /", r, age, now);
    fuzz::check(!stored || (age <= std::chrono::hours(1) && std::uint64_t(r.body.size()) <= cache.maxBodyBytes()),
                "putShared took an entry past its TTL or beyond maxBodyBytes");
    const auto served = cache.get("GET /", now);
    fuzz::check(stored == served.has_value(), "putShared said stored and get disagreed");
    fuzz::check(!served || served->storedAt == now - age, "the shared entry's age was not kept");
    return 0;
}
