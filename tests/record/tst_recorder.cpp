// The recorder: lines appended to a lane reach the file whole and counted;
// a lane that passes its write size is written by the append itself, with
// no wait for the writer thread; nothing is written once the file is
// finished.
#include "record/jsonline.h"
#include "record/recorder.h"
#include "record/recordingreader.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace bb;
using namespace bb::record;

namespace {
RequestLine requestLine(int i)
{
    RequestLine line;
    line.tMs = i;
    line.service = "api";
    line.method = "GET";
    line.path = "/api/items/12345";
    line.status = 200;
    line.upstream = "http://127.0.0.1:8080/";
    line.bytes = 512;
    return line;
}

// How many of these lines make a lane pass its write size.
int linesToPassWriteSize()
{
    std::string one;
    appendRequestLine(one, requestLine(0));
    return int(Recorder::kLaneWriteSize / one.size()) + 1;
}
} // namespace

class TestRecorder : public QObject {
    Q_OBJECT
private slots:
    void aFullLaneIsWrittenByItsAppend()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("r.jsonl")).toStdString();
        std::string error;
        auto recorder = Recorder::open(path, RecordingHeader{}, TimePoint{}, 2, &error);
        QVERIFY2(recorder, error.c_str());
        const int n = linesToPassWriteSize();
        for (int i = 0; i < n; ++i)
            recorder->lane(1).append(requestLine(i));
        // At once, not at the writer thread's next turn (10 ms away).
        QCOMPARE(recorder->linesWritten(), std::uint64_t(n));
        recorder->lane(0).append(requestLine(n));
        recorder->finish();
        QCOMPARE(recorder->linesWritten(), std::uint64_t(n + 1));
        QVERIFY(recorder->writeError().empty());
        LoadResult loaded = loadRecording(path);
        QVERIFY2(loaded.recording, loaded.error.c_str());
        QCOMPARE(loaded.report.malformed, std::uint64_t(0));
        QCOMPARE(loaded.recording->calls.size(), std::size_t(n + 1));
    }

    void nothingIsWrittenOnceFinished()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.jsonl"));
        std::string error;
        auto recorder = Recorder::open(path.toStdString(), RecordingHeader{}, TimePoint{}, 1, &error);
        QVERIFY2(recorder, error.c_str());
        recorder->lane(0).append(requestLine(0));
        recorder->finish();
        const qint64 size = QFileInfo(path).size();
        // Most likely under the recording's old descriptor number.
        QFile other(dir.filePath(QStringLiteral("other")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        for (int i = 0, n = 2 * linesToPassWriteSize(); i < n; ++i)
            recorder->lane(0).append(requestLine(i));
        QCOMPARE(recorder->linesWritten(), std::uint64_t(1));
        QVERIFY(recorder->writeError().empty());
        QCOMPARE(QFileInfo(path).size(), size);
        QCOMPARE(QFileInfo(other.fileName()).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRecorder)
#include "tst_recorder.moc"
