// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe),
// so the program stops cleanly from its event loop.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace bb::app {

class SignalWatcher : public QObject {
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void stopRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace bb::app
