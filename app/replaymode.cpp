#include "replaymode.h"

#include "consoleoutput.h"
#include "progressline.h"
#include "replayinputs.h"

#include "record/replayset.h"
#include "record/timeline.h"
#include "ui/whatifchart.h"

#include <QElapsedTimer>
#include <QThread>

namespace bb::app {

namespace {
constexpr int kSlices = 200; // progress steps at full speed

class Printer {
public:
    Printer(const record::ReplaySet &set, bool json) : m_set(set), m_json(json)
    {
        for (const std::string &name : set.names())
            m_width = std::max(m_width, name.size());
        if (set.size() == 1)
            m_width = 0;
    }
    void transitions(const std::vector<record::ReplayedTransition> &all)
    {
        for (const record::ReplayedTransition &t : all) {
            const std::string &name = m_set.names()[t.config];
            print(QString::fromStdString(m_json ? record::jsonTransition(name, t.event)
                                                : record::textTransition(name, m_width, t.event)));
        }
    }

private:
    const record::ReplaySet &m_set;
    bool m_json;
    std::size_t m_width = 0;
};
bool plot(const ReplayCommand &command, const record::Recording &recording, const record::TimelineRecorder &course,
          const std::vector<record::ReplayedTransition> &all)
{
    const std::string service = command.plotService.isEmpty() ? record::serviceToShow(all, recording)
                                                              : command.plotService.toStdString();
    if (!recording.serviceIndex(service)) {
        printError(QStringLiteral("breakerboard: --plot-service: the recording has no calls to '%1'")
                       .arg(QString::fromStdString(service)));
        return false;
    }
    const auto timelines = course.timelines(service);
    QString error;
    if (!ui::renderWhatIfPng(QString::fromStdString(service), timelines, command.plotSize, command.plotPath, &error)) {
        printError(QStringLiteral("breakerboard: ") + error);
        return false;
    }
    if (!command.json)
        print(QStringLiteral("\nPlot of %1 written to %2 (%3x%4).")
                  .arg(QString::fromStdString(service), command.plotPath)
                  .arg(command.plotSize.width())
                  .arg(command.plotSize.height()));
    return true;
}
} // namespace

int runReplay(const ReplayCommand &command)
{
    QStringList problems;
    std::optional<ReplayInputs> inputs;
    {
        ProgressLine loading(QStringLiteral("Reading the recording…"));
        inputs = loadReplayInputs(command.recording, command.config, command.whatIf, &problems,
                                  [&](double fraction) { loading.update(fraction); });
    }
    for (const QString &problem : problems)
        printError(QStringLiteral("breakerboard: ") + problem);
    if (!inputs)
        return 1;
    const QString against = QString::fromStdString(inputs->describeConfigs());
    record::ReplaySet set(inputs->recording, std::move(inputs->configs));
    // With --plot, every service's course is sampled as the replay goes.
    std::optional<record::TimelineRecorder> course;
    if (!command.plotPath.isEmpty()) {
        course.emplace(set);
        course->sample();
    }
    const record::Recording &recording = *inputs->recording;
    Printer printer(set, command.json);
    if (!command.json) {
        print(QStringLiteral("Replaying %1: %2 calls to %3 services over %4, against %5")
                  .arg(command.recording)
                  .arg(recording.calls.size())
                  .arg(recording.services.size())
                  .arg(QString::fromStdString(record::formatOffset(set.endNs())))
                  .arg(against));
    }
    std::vector<record::ReplayedTransition> all;
    ProgressLine progress(QStringLiteral("Replaying…"));
    const auto step = [&](std::int64_t target) {
        auto batch = set.advanceTo(target);
        if (course) {
            course->transitions(batch);
            course->sample();
        }
        if (!batch.empty())
            progress.done(); // the lines printed start clean; the progress line comes back below them
        printer.transitions(batch);
        all.insert(all.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
        progress.update(set.endNs() > 0 ? double(set.positionNs()) / double(set.endNs()) : 1.0);
    };
    if (command.speed <= 0) {
        const std::int64_t slice = course ? record::TimelineRecorder::stepFor(set.endNs())
                                          : std::max<std::int64_t>(1, set.endNs() / kSlices);
        for (std::int64_t t = slice; !set.atEnd(); t = std::min(set.endNs(), t + slice))
            step(t);
    } else {
        QElapsedTimer wall;
        wall.start();
        while (!set.atEnd()) {
            step(std::min(set.endNs(), std::int64_t(double(wall.nsecsElapsed()) * command.speed)));
            if (!set.atEnd())
                QThread::msleep(20);
        }
    }
    progress.done();
    for (std::size_t i = 0; i < set.size(); ++i) {
        const record::ReplaySummary summary = set.run(i).summary();
        if (command.json) {
            print(QString::fromStdString(record::jsonSummary(set.names()[i], summary)));
            continue;
        }
        print(QString());
        for (const std::string &line : record::textSummary(set.names()[i], summary))
            print(QString::fromStdString(line));
    }
    if (!command.json && set.size() > 1) {
        print(QString());
        print(QStringLiteral("Trip points (when each breaker opened, from the recording's start):"));
        for (const std::string &line : record::tripComparison(set.names(), all))
            print(QString::fromStdString(line));
    }
    if (!command.plotPath.isEmpty())
        return plot(command, *inputs->recording, *course, all) ? 0 : 1;
    return 0;
}

} // namespace bb::app
