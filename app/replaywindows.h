// The dashboard's replays. Every recording opened (File → Open a recording,
// or --replay) and every log imported gets a window of its own: the whole
// dashboard over a replay player on a thread of its own, with the replay
// bar and the what-if view. Reading, importing and what-if runs happen on a
// worker thread, their progress in the status bar of the window that asked
// (or on the terminal when none did). A live dashboard goes on beside them.
#pragma once

#include "replayinputs.h"

#include <QObject>
#include <QPointer>

#include <list>
#include <memory>

namespace bb::ui {
class MainWindow;
class Theme;
class WhatIfView;
} // namespace bb::ui

namespace bb::app {

class ReplayWindows : public QObject {
    Q_OBJECT
public:
    // fallback: the configuration for recordings that carry none, and the
    // one imports map services by and write into their header (empty text:
    // services by host or upstream address). theme may be null.
    ReplayWindows(ui::Theme *theme, ConfigText fallback, QObject *parent = nullptr);
    ~ReplayWindows() override;

    // Answers the window's File → Open a recording and Import a log.
    void serve(ui::MainWindow &window);
    // configPath empty: the recording's own configuration (or the fallback).
    void open(const QString &recordingPath, const QString &configPath = {}, ui::MainWindow *from = nullptr);
    void import(const QString &format, const QString &input, const QString &output, ui::MainWindow *from);
    // The replay in window through its own configuration and these files, in the what-if view.
    void compare(ui::MainWindow &window, const QStringList &configPaths);

    std::vector<ui::MainWindow *> windows() const;

signals:
    void opened(bb::ui::MainWindow *window);
    void compared(bb::ui::WhatIfView *view);
    // What could not be opened, imported or compared, and why (also shown to the user).
    void failed(const QString &message);

private:
    struct Replay;
    // warnings: what reading the recording skipped, said in the window.
    void show(const QString &recordingPath, ReplayInputs inputs, const QStringList &warnings);
    // said: what the status bar says at first (kept when lasting).
    void showWindow(Replay &replay, const QString &said, bool lasting);
    Replay *replayOf(const ui::MainWindow &window) const;
    // Runs work on a worker thread, then done with its result on this one;
    // an exception from work fails with the failure title instead.
    template <typename R, typename Work, typename Done>
    void inBackground(Work work, Done done, QPointer<ui::MainWindow> from, const QString &failure);
    // A progress report for from's status bar (none without from), called
    // on the worker; it stops the work when the windows are going.
    std::function<void(double)> progressTo(QPointer<ui::MainWindow> from, const QString &what);
    void fail(QPointer<ui::MainWindow> from, const QString &title, const QStringList &problems);

    ui::Theme *m_theme;
    ConfigText m_fallback;
    std::list<std::unique_ptr<Replay>> m_replays;
    std::list<QThread *> m_workers;
};

} // namespace bb::app
