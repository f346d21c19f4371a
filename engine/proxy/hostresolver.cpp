#include "hostresolver.h"

#include <QHostInfo>

namespace bb::proxy {

HostLookup systemHostLookup()
{
    return [](const QString &name, QObject *context, std::function<void(const HostAddresses &)> done) {
        // Runs on Qt's lookup threads; the functor is called on context's thread.
        QHostInfo::lookupHost(name, context, [done = std::move(done)](const QHostInfo &info) {
            HostAddresses answer;
            if (info.error() == QHostInfo::NoError && !info.addresses().isEmpty())
                answer.addresses = info.addresses();
            else
                answer.error = info.errorString().isEmpty() ? QStringLiteral("no address") : info.errorString();
            done(answer);
        });
    };
}

HostResolver::HostResolver(const Clock &clock, HostLookup lookup, QObject *parent, HostCacheLimits limits)
    : QObject(parent)
    , m_clock(clock)
    , m_lookup(lookup ? std::move(lookup) : systemHostLookup())
    , m_limits(limits)
{
}

void HostResolver::resolve(const QString &name, QObject *receiver, Done done)
{
    if (auto it = m_cache.constFind(name); it != m_cache.constEnd()) {
        if (m_clock.now() < it->expires) {
            done(HostAddresses{it->addresses, {}});
            return;
        }
        m_cache.erase(it);
    }
    auto &waiting = m_waiting[name];
    waiting.push_back({receiver, std::move(done)});
    if (waiting.size() > 1)
        return; // its lookup is under way
    ++m_lookups;
    m_lookup(name, this, [this, name](const HostAddresses &answer) { answered(name, answer); });
}

void HostResolver::answered(const QString &name, const HostAddresses &answer)
{
    if (!answer.addresses.isEmpty()) {
        makeRoom();
        m_cache.insert(name, Entry{answer.addresses, m_clock.now() + m_limits.ttl});
    }
    // A waiter may start another lookup of the same name from its callback.
    const std::vector<Waiter> waiting = m_waiting.take(name);
    for (const Waiter &w : waiting) {
        if (w.receiver)
            w.done(answer);
    }
}

void HostResolver::makeRoom()
{
    if (m_cache.size() < m_limits.maxNames)
        return;
    const TimePoint now = m_clock.now();
    m_cache.removeIf([now](const auto &entry) { return entry.value().expires <= now; });
    if (m_cache.size() < m_limits.maxNames)
        return;
    // Still full: the answer that would expire first goes.
    auto oldest = m_cache.begin();
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it) {
        if (it->expires < oldest->expires)
            oldest = it;
    }
    m_cache.erase(oldest);
}

} // namespace bb::proxy
