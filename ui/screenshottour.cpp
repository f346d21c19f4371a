#include "screenshottour.h"

#include "mainwindow.h"
#include "servicetablemodel.h"
#include "thresholdeditor.h"

#include <QApplication>
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
            QTimer::singleShot(400, &window, [&window, dir] {
                save(&window, dir, QStringLiteral("main-window.png"));
                window.showTiles(true);
                QTimer::singleShot(400, &window, [&window, dir] {
                    save(&window, dir, QStringLiteral("tiles.png"));
                    window.showTiles(false);
                    ThresholdEditor *editor = window.openThresholdEditor();
                    if (!editor) {
                        QApplication::quit();
                        return;
                    }
                    editor->percent("failure_threshold")->setValue(60);
                    editor->reasonEdit()->setText(QStringLiteral("fewer trips on short bursts"));
                    editor->updatePreviewNow();
                    QTimer::singleShot(400, editor, [editor, dir] {
                        save(editor, dir, QStringLiteral("threshold-editor.png"));
                        QApplication::quit();
                    });
                });
            });
        });
    });
    poll->start(500);
}

} // namespace bb::ui
