// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe),
// so the program stops cleanly from its event loop; and, when asked, SIGHUP
// into a request to read certificates again.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace bb::app {

class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(bool reloadOnHangup = false, QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void stopRequested(int signalNumber);
    void reloadRequested();

private:
    QSocketNotifier *m_notifier = nullptr;
    bool m_reloadOnHangup = false;
};

} // namespace bb::app
