#include "screenshottour.h"

#include "mainwindow.h"
#include "replaybar.h"
#include "whatifview.h"
#include "servicetablemodel.h"
#include "thresholdeditor.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QTimer>

namespace bb::ui {

namespace {
void save(QWidget *w, const QString &dir, const QString &name)
{
    const QString path = QDir(dir).filePath(name);
    if (!w->grab().save(path))
        qWarning("cannot write %s", qPrintable(path));
}

// Over a fleet, a picture of the service's first instance alone, its
// service expanded in the tree; then next().
void saveFleet(MainWindow &window, const QString &dir, const QString &service, const std::function<void()> &next)
{
    const control::FleetView *fleet = window.state().fleet();
    if (!fleet || fleet->instances.empty() || service.isEmpty()) {
        next();
        return;
    }
    window.selectInstance(service, QString::fromStdString(fleet->instances.front().name));
    QTimer::singleShot(400, &window, [&window, dir, service, next] {
        save(&window, dir, QStringLiteral("fleet.png"));
        window.selectServices({service});
        next();
    });
}

// The tile view, then the threshold editor with its preview; then quits.
void saveTilesAndEditor(MainWindow &window, const QString &dir)
{
    window.showTiles(true);
    QTimer::singleShot(400, &window, [&window, dir] {
        save(&window, dir, QStringLiteral("tiles.png"));
        window.showTiles(false);
        QObject::connect(&window, &MainWindow::thresholdEditorOpened, &window, [dir](ThresholdEditor *editor) {
            editor->percent("failure_threshold")->setValue(60);
            editor->reasonEdit()->setText(QStringLiteral("fewer trips on short bursts"));
            editor->updatePreviewNow();
            QTimer::singleShot(400, editor, [editor, dir] {
                save(editor, dir, QStringLiteral("threshold-editor.png"));
                QApplication::quit();
            });
        });
        window.openThresholdEditor();
        // No editor (nothing to select): done after a while.
        QTimer::singleShot(5000, &window, [] { QApplication::quit(); });
    });
}

QString trippedService(const MainWindow &window)
{
    for (const ServiceRow &r : window.state().rows())
        if (r.state == BreakerState::Open || r.state == BreakerState::HalfOpen)
            return QString::fromStdString(r.name);
    return {};
}
} // namespace

void takeScreenshots(MainWindow &window, const QString &dir, int timeoutS)
{
    QDir().mkpath(dir);
    auto *poll = new QTimer(&window);
    auto waited = std::make_shared<int>(0);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, dir, poll, waited, timeoutS] {
        const QString name = trippedService(window);
        if (name.isEmpty() && ++*waited < timeoutS * 2)
            return;
        poll->stop();
        poll->deleteLater();
        // Let the charts gather history (the group opens, fallbacks answer) before the pictures.
        QTimer::singleShot(45000, &window, [&window, dir, name] {
            const QString target = name.isEmpty() ? trippedService(window) : name;
            if (!target.isEmpty())
                window.selectServices({target});
            QTimer::singleShot(400, &window, [&window, dir, target] {
                save(&window, dir, QStringLiteral("main-window.png"));
                saveFleet(window, dir, target, [&window, dir] { saveTilesAndEditor(window, dir); });
            });
        });
    });
    poll->start(500);
}

void takeReplayScreenshots(MainWindow &window, ReplayBar &bar, const QString &dir,
                           const std::function<void()> &compare, int timeoutS)
{
    QDir().mkpath(dir);
    bar.speedBox()->setCurrentIndex(bar.speedBox()->findData(20.0));
    auto *poll = new QTimer(&window);
    auto waited = std::make_shared<int>(0);
    auto trippedAt = std::make_shared<int>(-1);
    QObject::connect(poll, &QTimer::timeout, &window, [&window, &bar, dir, compare, poll, waited, trippedAt, timeoutS] {
        ++*waited;
        const QString name = trippedService(window);
        if (!name.isEmpty() && *trippedAt < 0)
            *trippedAt = *waited;
        // A second of wall time (20 s of the recording) after the trip, for the charts.
        if ((*trippedAt < 0 || *waited - *trippedAt < 5) && *waited < timeoutS * 5)
            return;
        poll->stop();
        poll->deleteLater();
        bar.control().pause();
        if (!name.isEmpty())
            window.selectServices({name});
        QTimer::singleShot(600, &window, [&window, dir, compare] {
            save(&window, dir, QStringLiteral("replay-window.png"));
            compare();
            auto *look = new QTimer(&window);
            auto looked = std::make_shared<int>(0);
            QObject::connect(look, &QTimer::timeout, &window, [&window, dir, look, looked] {
                WhatIfView *view = window.findChild<WhatIfView *>();
                if (!view || !view->isVisible()) {
                    if (++*looked > 300) { // a minute: the comparison failed, and said why
                        qWarning("no what-if view to take a picture of");
                        QApplication::quit();
                    }
                    return;
                }
                look->stop();
                QTimer::singleShot(800, view, [view, dir] {
                    save(view, dir, QStringLiteral("what-if-view.png"));
                    QApplication::quit();
                });
            });
            look->start(200);
        });
    });
    poll->start(200);
}

} // namespace bb::ui
