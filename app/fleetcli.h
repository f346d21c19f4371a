// `breakerboard status` and `breakerboard set`: the command line over the
// admin APIs of running instances (--attach URL ..., --fleet FILE).
#pragma once

#include <QString>
#include <QStringList>

namespace bb::app {

// command: "status" or "set"; arguments: the program's, as
// QCoreApplication::arguments() gives them.
// Exit status: 0 when every instance answered (and, for set, did it), 1 for
// bad arguments, 2 when an instance did not.
int runFleetCommand(const QString &command, const QStringList &arguments);

} // namespace bb::app
