// Saves the pictures the README shows: the main window with a tripped
// service selected, over a fleet that service's first instance alone, the
// tile view, and the threshold editor with its preview.
// Run by scripts/screenshots.sh under Xvfb (`breakerboard --demo --screenshots DIR`).
#pragma once

#include <QString>

#include <functional>

namespace bb::ui {

class MainWindow;
class ReplayBar;

// Waits (at most timeoutS) for a breaker to open, then saves the PNGs into
// dir and quits the application.
void takeScreenshots(MainWindow &window, const QString &dir, int timeoutS = 90);
// A replay's pictures (`--replay FILE --what-if FILE --screenshots DIR`):
// the replay at 20× until a breaker has been open a while, paused, with that
// service selected; then the what-if view that compare() opens; then quits.
void takeReplayScreenshots(MainWindow &window, ReplayBar &bar, const QString &dir,
                           const std::function<void()> &compare, int timeoutS = 90);

} // namespace bb::ui
