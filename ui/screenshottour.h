// Saves the pictures the README shows: the main window with a tripped
// service selected, the tile view, and the threshold editor with its preview.
// Run by scripts/screenshots.sh under Xvfb (`breakerboard --demo --screenshots DIR`).
#pragma once

#include <QString>

namespace bb::ui {

class MainWindow;

// Waits (at most timeoutS) for a breaker to open, then saves the PNGs into
// dir and quits the application.
void takeScreenshots(MainWindow &window, const QString &dir, int timeoutS = 90);

} // namespace bb::ui
