// A resolver for proxy tests that knows a few names. It answers on the
// asker's thread, later, as the system's does; from any worker; counting
// the lookups.
#pragma once

#include "proxy/hostresolver.h"

#include <QHash>
#include <QMutex>
#include <QStringList>

namespace bb::testing {

class FakeDns {
public:
    void set(const QString &name, const QStringList &addresses)
    {
        QMutexLocker lock(&m_mutex);
        m_names[name] = addresses;
    }
    int lookups(const QString &name) const
    {
        QMutexLocker lock(&m_mutex);
        return m_lookups.value(name);
    }
    proxy::HostLookup lookup()
    {
        return [this](const QString &name, QObject *context, std::function<void(const proxy::HostAddresses &)> done) {
            proxy::HostAddresses answer;
            {
                QMutexLocker lock(&m_mutex);
                ++m_lookups[name];
                for (const QString &a : m_names.value(name))
                    answer.addresses.push_back(QHostAddress(a));
            }
            if (answer.addresses.isEmpty())
                answer.error = QStringLiteral("Host not found");
            QMetaObject::invokeMethod(
                context, [done = std::move(done), answer] { done(answer); }, Qt::QueuedConnection);
        };
    }

private:
    mutable QMutex m_mutex;
    QHash<QString, QStringList> m_names;
    QHash<QString, int> m_lookups;
};

} // namespace bb::testing
