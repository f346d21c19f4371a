#include "consoleoutput.h"

#include <QDateTime>

#include <cstdio>

namespace bb::app {

void print(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void printError(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stderr);
    std::fputc('\n', stderr);
    std::fflush(stderr);
}

QString clockTime(std::int64_t wallMs)
{
    return QDateTime::fromMSecsSinceEpoch(wallMs).toString(QStringLiteral("HH:mm:ss.zzz"));
}

void printEvents(const std::vector<TransitionEvent> &events)
{
    for (const auto &event : events)
        print(clockTime(event.wallMs) + QStringLiteral("  ") + QString::fromStdString(event.describe()));
}

} // namespace bb::app
