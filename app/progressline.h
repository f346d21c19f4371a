// A progress line on the terminal for long imports and replays:
// "Replaying… 42%" rewritten in place on standard error, only when standard
// error is a terminal (never into a pipe or a file).
#pragma once

#include <QElapsedTimer>
#include <QString>

namespace bb::app {

class ProgressLine {
public:
    explicit ProgressLine(QString what);
    ~ProgressLine();
    // fraction 0..1; redrawn at most ten times a second.
    void update(double fraction);
    void done();

private:
    QString m_what;
    bool m_enabled;
    bool m_drawn = false;
    int m_lastPercent = -1;
    QElapsedTimer m_sinceDraw;
};

} // namespace bb::app
