#include "replaywindows.h"

#include "consoleoutput.h"
#include "progressline.h"

#include "control/localdashboardcontrol.h"
#include "control/localreplaycontrol.h"
#include "control/replayplayer.h"
#include "control/threadcall.h"
#include "record/importer.h"
#include "ui/mainwindow.h"
#include "ui/replaybar.h"
#include "ui/dashboardlink.h"
#include "ui/whatifview.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QStatusBar>
#include <QThread>

namespace bb::app {

namespace {
// Thrown by a progress report when the worker is asked to stop (the windows are going).
struct Interrupted {};

void stopIfAsked()
{
    if (QThread::currentThread()->isInterruptionRequested())
        throw Interrupted{};
}
} // namespace

struct ReplayWindows::Replay {
    QString name; // the recording's file name
    std::shared_ptr<const record::Recording> recording;
    record::NamedConfiguration config;
    control::ObjectThread thread{QStringLiteral("replay")};
    control::ReplayPlayer *player = nullptr; // made and deleted on the thread
    std::unique_ptr<control::LocalDashboardControl> control;
    std::unique_ptr<control::LocalReplayControl> replay;
    std::unique_ptr<ui::DashboardLink> link;
    ui::MainWindow *window = nullptr; // deletes itself when closed

    bool retired = false;

    // Lets the player go on its thread and the thread end, without waiting
    // (a window closes while others stay); the destructor then finds it ended.
    void retire()
    {
        link.reset();
        replay.reset();
        control.reset();
        thread.post([p = player] { delete p; });
        thread.finish();
        retired = true;
    }
    ~Replay()
    {
        link.reset();
        replay.reset();
        control.reset();
        // The application is ending (or the window never came): waiting is fine.
        if (!retired)
            thread.call([this] { delete player; });
    }
};

ReplayWindows::ReplayWindows(ui::Theme *theme, ConfigText fallback, QObject *parent)
    : QObject(parent), m_theme(theme), m_fallback(std::move(fallback))
{
}

ReplayWindows::~ReplayWindows()
{
    // Work under way stops at its next progress report.
    for (QThread *worker : m_workers)
        worker->requestInterruption();
    for (QThread *worker : m_workers) {
        worker->wait();
        delete worker;
    }
    for (const auto &replay : m_replays) {
        if (replay->window) {
            replay->window->disconnect(this);
            delete replay->window;
        }
    }
    m_replays.clear(); // before the members they use
}

template <typename R, typename Work, typename Done>
void ReplayWindows::inBackground(Work work, Done done, QPointer<ui::MainWindow> from, const QString &failure)
{
    QThread *worker = QThread::create([=, this, work = std::move(work), done = std::move(done)]() mutable {
        try {
            auto result = std::make_shared<R>(work());
            QMetaObject::invokeMethod(this, [done = std::move(done), result] { done(std::move(*result)); },
                                      Qt::QueuedConnection);
        } catch (const Interrupted &) {
        } catch (const std::exception &e) { // out of memory on a huge file, say
            const QString what = QString::fromLocal8Bit(e.what());
            QMetaObject::invokeMethod(this, [=, this] { fail(from, failure, {what}); }, Qt::QueuedConnection);
        }
    });
    m_workers.push_back(worker);
    connect(worker, &QThread::finished, this, [this, worker] {
        m_workers.remove(worker);
        worker->deleteLater();
    });
    worker->start();
}

std::function<void(double)> ReplayWindows::progressTo(QPointer<ui::MainWindow> from, const QString &what)
{
    auto shown = std::make_shared<int>(-1); // per mille, as last posted
    return [this, from, what, shown, toWindow = !from.isNull()](double fraction) {
        stopIfAsked();
        if (!toWindow)
            return;
        const int perMille = int(fraction * 1000);
        if (perMille < *shown + 10)
            return; // at most a hundred posts
        *shown = perMille;
        QMetaObject::invokeMethod(this, [from, what, fraction] {
            if (from)
                from->showProgress(what, fraction);
        }, Qt::QueuedConnection);
    };
}

void ReplayWindows::fail(QPointer<ui::MainWindow> from, const QString &title, const QStringList &problems)
{
    const QString message = title + QStringLiteral(":\n") + problems.join(QLatin1Char('\n'));
    if (from) {
        from->hideProgress();
        auto *box = new QMessageBox(QMessageBox::Warning, title, problems.join(QLatin1Char('\n')), QMessageBox::Ok, from);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    } else {
        printError(QStringLiteral("breakerboard: ") + problems.join(QStringLiteral("\nbreakerboard: ")));
    }
    emit failed(message);
}

void ReplayWindows::serve(ui::MainWindow &window)
{
    connect(&window, &ui::MainWindow::openRecordingRequested, this,
            [this, w = &window](const QString &path) { open(path, {}, w); });
    connect(&window, &ui::MainWindow::importLogRequested, this,
            [this, w = &window](const QString &format, const QString &input, const QString &output) {
                import(format, input, output, w);
            });
}

void ReplayWindows::open(const QString &recordingPath, const QString &configPath, ui::MainWindow *from)
{
    struct Loaded {
        std::optional<ReplayInputs> inputs;
        QStringList problems;
    };
    const QPointer<ui::MainWindow> origin(from);
    auto progress = progressTo(origin, QStringLiteral("Reading %1").arg(QFileInfo(recordingPath).fileName()));
    const bool terminal = from == nullptr;
    const QString failure = QStringLiteral("Cannot replay %1").arg(recordingPath);
    inBackground<Loaded>(
        [=, fallback = m_fallback] {
            Loaded loaded;
            std::optional<ProgressLine> line;
            if (terminal)
                line.emplace(QStringLiteral("Reading the recording…"));
            loaded.inputs = loadReplayInputs(recordingPath, configPath, {}, &loaded.problems, [&](double f) {
                progress(f);
                if (line)
                    line->update(f);
            }, fallback);
            return loaded;
        },
        [=, this](Loaded loaded) {
            // A window over nothing to play would only mislead.
            if (!loaded.inputs || loaded.inputs->recording->calls.empty()) {
                fail(origin, failure, loaded.problems);
                return;
            }
            if (origin)
                origin->hideProgress();
            for (const QString &problem : loaded.problems)
                printError(QStringLiteral("breakerboard: ") + problem);
            show(recordingPath, std::move(*loaded.inputs), loaded.problems);
        },
        origin, failure);
}

void ReplayWindows::show(const QString &recordingPath, ReplayInputs inputs, const QStringList &warnings)
{
    auto replay = std::make_unique<Replay>();
    Replay &r = *replay;
    r.name = QFileInfo(recordingPath).fileName();
    r.recording = inputs.recording;
    r.config = inputs.configs.front();
    m_replays.push_back(std::move(replay));
    // The player (and the replay's engine) is made on its own thread; the
    // window follows once it is there.
    QString said = QStringLiteral("Replaying %1 calls to %2 services over %3 through %4%5")
                       .arg(r.recording->calls.size())
                       .arg(r.recording->services.size())
                       .arg(ui::replayClock(r.recording->endNs()), QString::fromStdString(inputs.describeConfigs()),
                            warnings.isEmpty() ? QString() : QStringLiteral(". ") + warnings.join(QStringLiteral("; ")));
    r.thread.post([this, &r, said, lasting = !warnings.isEmpty()] {
        r.player = new control::ReplayPlayer(r.recording, r.config.config);
        QMetaObject::invokeMethod(this, [this, &r, said, lasting] { showWindow(r, said, lasting); }, Qt::QueuedConnection);
    });
}

void ReplayWindows::showWindow(Replay &r, const QString &said, bool lasting)
{
    r.control = std::make_unique<control::LocalDashboardControl>(
        *r.player, [player = r.player]() -> control::ControlService & { return player->control(); });
    r.replay = std::make_unique<control::LocalReplayControl>(*r.player, *r.control);
    r.link = std::make_unique<ui::DashboardLink>(*r.control);
    r.window = new ui::MainWindow(*r.link, m_theme);
    r.window->setAttribute(Qt::WA_DeleteOnClose);
    auto *bar = new ui::ReplayBar(*r.replay, r.recording->header.startWallMs, r.window);
    r.window->showReplay(bar, r.name);
    serve(*r.window);
    connect(bar, &ui::ReplayBar::whatIfRequested, this, [this, w = r.window] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            w, QStringLiteral("Configurations to compare on this traffic"), QString(),
            QStringLiteral("Configurations (*.yaml *.yml);;All files (*)"));
        if (!paths.isEmpty())
            compare(*w, paths);
    });
    // The replay goes once the window has gone completely and its thread has ended.
    connect(r.window, &QObject::destroyed, this, [this, &r] {
        r.window = nullptr;
        connect(&r.thread.thread(), &QThread::finished, this, [this, &r] {
            m_replays.remove_if([&r](const std::unique_ptr<Replay> &p) { return p.get() == &r; });
        }, Qt::QueuedConnection);
        r.retire();
    });
    r.window->show(); // before the message, which hides the status line only when it is visible
    // What was skipped in reading stays in the status bar until the next message.
    r.window->statusBar()->showMessage(said, lasting ? 0 : 15000);
    r.replay->play();
    emit opened(r.window);
}

ReplayWindows::Replay *ReplayWindows::replayOf(const ui::MainWindow &window) const
{
    for (const auto &replay : m_replays)
        if (replay->window == &window)
            return replay.get();
    return nullptr;
}

std::vector<ui::MainWindow *> ReplayWindows::windows() const
{
    std::vector<ui::MainWindow *> all;
    for (const auto &replay : m_replays)
        if (replay->window)
            all.push_back(replay->window);
    return all;
}

void ReplayWindows::compare(ui::MainWindow &window, const QStringList &configPaths)
{
    const Replay *replay = replayOf(window);
    if (!replay)
        return;
    struct Compared {
        std::optional<record::WhatIf> whatIf;
        QStringList problems; // of the files to compare: then nothing was played
    };
    const QPointer<ui::MainWindow> origin(&window);
    const QString failure = QStringLiteral("Cannot compare");
    auto progress = progressTo(origin, QStringLiteral("What if…"));
    // The files are read and checked on the worker too: the window waits on no disk.
    inBackground<Compared>(
        [recording = replay->recording, own = replay->config, configPaths, progress] {
            Compared compared;
            std::vector<record::NamedConfiguration> configs{own};
            std::vector<std::string> names{own.name};
            for (const QString &path : configPaths) {
                if (auto config = usableConfiguration(loadConfiguration(path.toStdString()), path, &compared.problems)) {
                    configs.push_back({"", std::move(*config)});
                    names.push_back(path.toStdString());
                }
            }
            if (!compared.problems.isEmpty())
                return compared;
            names = record::configurationNames(names);
            names.front() = own.name;
            for (std::size_t i = 1; i < configs.size(); ++i)
                configs[i].name = names[i];
            compared.whatIf = record::playWhatIf(recording, configs, progress);
            return compared;
        },
        [this, origin, failure, name = replay->name](Compared result) {
            if (!result.whatIf) {
                fail(origin, failure, result.problems);
                return;
            }
            if (!origin)
                return;
            origin->hideProgress();
            auto *view = new ui::WhatIfView(std::move(*result.whatIf), name, origin);
            view->setAttribute(Qt::WA_DeleteOnClose);
            view->show();
            emit compared(view);
        },
        origin, failure);
}

void ReplayWindows::import(const QString &format, const QString &input, const QString &output, ui::MainWindow *from)
{
    const QPointer<ui::MainWindow> origin(from);
    const auto kind = record::parseImportFormat(format.toStdString());
    if (!kind) {
        fail(origin, QStringLiteral("Cannot import %1").arg(input),
             {QStringLiteral("unknown log format '%1' (nginx, har or envoy)").arg(format)});
        return;
    }
    std::optional<Configuration> config;
    if (!m_fallback.text.empty())
        config = parseConfiguration(m_fallback.text, m_fallback.name).config;
    auto progress = progressTo(origin, QStringLiteral("Importing %1").arg(QFileInfo(input).fileName()));
    const QString failure = QStringLiteral("Cannot import %1").arg(input);
    inBackground<record::ImportResult>(
        [=, fallback = m_fallback] {
            return record::importLog(*kind, input.toStdString(), output.toStdString(), config ? &*config : nullptr,
                                     fallback.name, fallback.text, progress);
        },
        [=, this](record::ImportResult result) {
            if (!result.ok) {
                fail(origin, failure, {QString::fromStdString(result.error)});
                return;
            }
            QStringList said;
            for (const std::string &warning : result.report.warnings())
                said << QString::fromStdString(warning);
            for (const std::string &note : result.notes)
                said << QString::fromStdString(note);
            if (origin)
                origin->statusBar()->showMessage(QStringLiteral("Imported %1 requests from %2%3")
                                                     .arg(result.imported)
                                                     .arg(QFileInfo(input).fileName(),
                                                          said.isEmpty() ? QString() : QStringLiteral("; ") + said.join(QStringLiteral("; "))),
                                                 30000);
            open(output, {}, origin);
        },
        origin, failure);
}

} // namespace bb::app
