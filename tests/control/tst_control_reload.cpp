// A changed configuration file: a valid one applies its policies live (the
// window kept unless the change needs a new one), an invalid one is refused
// whole; the watcher sees edits in place and files replaced by rename.
#include "controltesting.h"

#include "control/configwatcher.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace bb;
using namespace bb::control;
using namespace bb::testing;

namespace {
QByteArray withThreshold(const char *threshold)
{
    return QByteArray::fromStdString(kTwoServices).replace("failure_threshold: 0.5", QByteArray("failure_threshold: ") + threshold);
}

struct FileRig {
    QTemporaryDir dir;
    QString path = dir.filePath("config.yaml");
    std::unique_ptr<ControlRig> rig;
    FileRig()
    {
        writeAll(path, QByteArray::fromStdString(kTwoServices));
        rig = std::make_unique<ControlRig>(*loadConfiguration(path.toStdString()).config);
    }
    void fillWindow(const char *name, int calls)
    {
        auto b = rig->engine.breaker(name);
        for (int i = 0; i < calls; ++i)
            b->record(b->tryAcquire(), Outcome::Success, std::chrono::milliseconds(1));
    }
};
} // namespace

class TestControlReload : public QObject {
    Q_OBJECT
private slots:
    void aValidChangeAppliesLiveAndKeepsTheWindow()
    {
        FileRig f;
        f.fillWindow("a", 3);
        writeAll(f.path, withThreshold("0.3"));
        const ReloadResult r = f.rig->control->reload(f.path, {"config-file", "config"});
        QVERIFY(r.applied);
        QCOMPARE(r.changed, (std::vector<std::string>{"a", "b"}));
        QVERIFY(r.needRestart.empty());
        QCOMPARE(f.rig->engine.breaker("a")->policy().failureRateThreshold, 30.0);
        QCOMPARE(f.rig->control->configuration().service("b")->policy.failureRateThreshold, 30.0);
        QCOMPARE(f.rig->control->snapshot()->breaker("a")->window.calls, std::uint64_t(3));
        const auto entry = f.rig->control->audit(1).at(0);
        QCOMPARE(entry.action, std::string("reload"));
        QCOMPARE(entry.origin, std::string("config"));
        QCOMPARE(entry.detail, std::string("policy changed: a, b"));
    }

    void aWindowOfAnotherKindStartsEmpty()
    {
        FileRig f;
        f.fillWindow("a", 3);
        writeAll(f.path, QByteArray::fromStdString(kTwoServices).replace("    a: {}", "    a: {window: {type: time, size: 20}}"));
        const ReloadResult r = f.rig->control->reload(f.path, {"config-file", "config"});
        QVERIFY(r.applied);
        QCOMPARE(r.changed, (std::vector<std::string>{"a (window reset)"}));
        QCOMPARE(f.rig->control->snapshot()->breaker("a")->window.calls, std::uint64_t(0));
        QCOMPARE(f.rig->engine.breaker("a")->policy().windowType, WindowType::Time);
    }

    void anInvalidChangeIsRefusedWhole()
    {
        FileRig f;
        // One good change and one bad: neither applies.
        writeAll(f.path, withThreshold("0.3").replace("    b: {}", "    b: {volume_threshold: -1}"));
        const ReloadResult r = f.rig->control->reload(f.path, {"config-file", "config"});
        QVERIFY(!r.applied);
        std::vector<ConfigIssue> errors;
        std::copy_if(r.issues.begin(), r.issues.end(), std::back_inserter(errors), [](auto &i) { return !i.warning; });
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(errors[0].toString()),
                 f.path + ":9:27: volume_threshold must be between 1 and 100000, got -1");
        QCOMPARE(f.rig->engine.breaker("a")->policy().failureRateThreshold, 50.0);
        QCOMPARE(f.rig->control->configuration().service("a")->policy.failureRateThreshold, 50.0);
        const auto entry = f.rig->control->audit(1).at(0);
        QCOMPARE(entry.action, std::string("reload_refused"));
        QCOMPARE(QString::fromStdString(entry.detail), QString::fromStdString(errors[0].toString()));

        writeAll(f.path, "circuit_breakers: [");
        QVERIFY(!f.rig->control->reload(f.path, {"config-file", "config"}).applied);
        QFile::remove(f.path);
        QVERIFY(!f.rig->control->reload(f.path, {"config-file", "config"}).applied);
        QCOMPARE(f.rig->engine.breaker("a")->policy().failureRateThreshold, 50.0);
    }

    void whatCannotChangeLiveIsNamed()
    {
        FileRig f;
        QByteArray text = QByteArray::fromStdString(kTwoServices).replace("    b: {}\n", "    c: {}\n");
        text.replace("services: [a, b]", "services: [a, c]");
        text.replace("    a: {}", "    a: {timeout: 900}");
        writeAll(f.path, text);
        const ReloadResult r = f.rig->control->reload(f.path, {"config-file", "config"});
        QVERIFY(r.applied);
        QCOMPARE(r.needRestart, (std::vector<std::string>{"service 'a': upstream, routes or call handling changed",
                                                          "service 'c' is new", "service 'b' was removed",
                                                          "groups changed"}));
        QVERIFY(!f.rig->engine.breaker("c"));
    }

    void theWatcherReloadsOnEditsAndRenames()
    {
        FileRig f;
        ConfigWatcher watcher(*f.rig->control, f.path);
        QSignalSpy reloaded(&watcher, &ConfigWatcher::reloaded);

        writeAll(f.path, withThreshold("0.3"));
        QVERIFY(reloaded.wait(5000));
        QCOMPARE(f.rig->engine.breaker("a")->policy().failureRateThreshold, 30.0);

        // An editor's save: a new file renamed over the old one.
        const QString temp = f.dir.filePath("config.yaml.tmp");
        writeAll(temp, withThreshold("0.4"));
        QVERIFY(QFile::remove(f.path));
        QVERIFY(QFile::rename(temp, f.path));
        QVERIFY(reloaded.wait(5000));
        QCOMPARE(f.rig->engine.breaker("a")->policy().failureRateThreshold, 40.0);

        // Another file of the directory, or the same bytes again: the
        // watcher looks and does not reload.
        QSignalSpy checked(&watcher, &ConfigWatcher::checked);
        writeAll(f.dir.filePath("config.overlay.yaml"), "{}\n");
        writeAll(f.path, withThreshold("0.4"));
        QVERIFY(checked.wait(5000));
        QCOMPARE(reloaded.size(), 2);

        writeAll(f.path, withThreshold("7"));
        QVERIFY(reloaded.wait(5000));
        QVERIFY(!reloaded.last().at(0).value<ReloadResult>().applied);
        QCOMPARE(f.rig->engine.breaker("a")->policy().failureRateThreshold, 40.0);
    }
};

QTEST_GUILESS_MAIN(TestControlReload)
#include "tst_control_reload.moc"
