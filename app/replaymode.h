// `breakerboard replay RECORDING --config FILE [--what-if FILE …]`: the
// recording through one engine per configuration on a virtual clock, every
// transition printed (text or JSON Lines), then a summary per configuration
// and, in text, the trip points side by side.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

namespace bb::app {

struct ReplayCommand {
    QString recording;
    QString config; // empty: the configuration the recording carries
    QStringList whatIf;
    double speed = 0; // times real time; 0: as fast as the machine allows
    bool json = false;
    QString plotPath;
    QSize plotSize{1200, 700};
    QString plotService; // empty: the service that opened first
};

int runReplay(const ReplayCommand &command);

} // namespace bb::app
