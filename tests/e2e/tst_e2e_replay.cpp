// `breakerboard replay` as a user runs it: every transition in text and JSON
// Lines, byte for byte the same at any speed, what-ifs side by side, a plot
// drawn without a display, and clear errors for bad input.
#include "e2etesting.h"

#include "record/jsonline.h"

#include <QImage>
#include <QTest>

using namespace bb;
using namespace bb::testing;

namespace {
const QString kStrict = QStringLiteral("circuit_breakers:\n  default:\n    failure_threshold: 0.5\n"
                                       "    recovery_timeout: 1000\n    window: {type: count, size: 10}\n"
                                       "    volume_threshold: 10\n  services:\n    api: {}\n    web: {}\n");

// api fails from 2 s to 6 s, a call every 100 ms; web is always fine.
QString writeIncident(const QTemporaryDir &dir, const QString &config)
{
    record::RecordingHeader header;
    header.source = "test";
    header.config = config.toStdString();
    header.configName = "strict.yaml";
    std::string text = record::headerLine(header);
    for (int i = 0; i < 90; ++i) {
        for (const char *service : {"api", "web"}) {
            record::RequestLine line;
            line.tMs = i * 100.0 + (service[0] == 'w' ? 50 : 0);
            line.service = service;
            line.outcome = service[0] == 'a' && i >= 20 && i < 60 ? record::CallOutcome::Failure
                                                                    : record::CallOutcome::Success;
            line.latencyMs = 10;
            record::appendRequestLine(text, line);
        }
    }
    return writeConfig(dir, QString::fromStdString(text), QStringLiteral("incident.jsonl"));
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run replay(const QStringList &args, bool display = true, const QString &command = QStringLiteral("replay"))
{
    QProcess p;
    if (!display) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral(BREAKERBOARD_BINARY), (command.isEmpty() ? QStringList() : QStringList{command}) + args);
    p.waitForFinished(60000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}
} // namespace

class TestE2eReplay : public QObject {
    Q_OBJECT
private slots:
    void theReplayWindowFromTheCommandLine()
    {
        // The test's platform is offscreen: a window can open.
        Run r = replay({"--replay", SAMPLE_RECORDING, "--speed", "max", "--duration", "2"}, true, {});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Replay open: Breakerboard — replay of demo-incident.jsonl"));
        r = replay({"--replay", SAMPLE_RECORDING, "--speed", "5000"}, true, {});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--speed with --replay must be max or from 1 to 1000, got '5000'"));
        r = replay({"--replay", "/no/such/recording.jsonl", "--duration", "20"}, true, {});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("/no/such/recording.jsonl: cannot read the file"));
        r = replay({"--replay", SAMPLE_RECORDING}, false, {});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--replay opens a window and there is no display"));
    }

    void jsonLinesTheSameAtAnySpeed()
    {
        QTemporaryDir dir;
        const QString rec = writeIncident(dir, kStrict);
        const Run fast = replay({rec, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(fast.exitCode, 0);
        const QList<QByteArray> lines = fast.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 10); // 9 transitions and the summary
        QCOMPARE(lines[0], QByteArray("{\"config\":\"strict\",\"t\":2410,\"breaker\":\"api\",\"from\":\"closed\","
                                      "\"to\":\"open\",\"cause\":\"failure rate 50% ≥ 50% over 10 calls\"}"));
        QVERIFY(lines[9].startsWith("{\"config\":\"strict\",\"summary\":{\"calls\":180,\"rejected\":40,"));
        QVERIFY(lines[9].contains("\"api\":{\"opens\":4,\"open_ms\":4000,\"rejected\":40,\"would_reject\":0}"));
        // Paced at 20 times real time (about half a second): the same bytes.
        const Run paced = replay({rec, QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--speed"),
                                  QStringLiteral("20")});
        QCOMPARE(paced.exitCode, 0);
        QCOMPARE(paced.out, fast.out);
    }

    void whatIfSideBySide()
    {
        QTemporaryDir dir;
        const QString rec = writeIncident(dir, kStrict);
        QString lenient = kStrict;
        lenient.replace(QStringLiteral("0.5"), QStringLiteral("0.9"));
        const QString strictPath = writeConfig(dir, kStrict, QStringLiteral("strict.yaml"));
        const QString lenientPath = writeConfig(dir, lenient, QStringLiteral("lenient.yaml"));
        const Run r = replay({rec, QStringLiteral("--config"), strictPath, QStringLiteral("--what-if"), lenientPath});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("  0:02.410   strict   api  closed → open  failure rate 50% ≥ 50% over 10 calls\n"
                                             "  0:02.810   lenient  api  closed → open  failure rate 90% ≥ 90% over 10 calls\n")),
                 qPrintable(out));
        QVERIFY(out.contains(QStringLiteral("Trip points (when each breaker opened, from the recording's start):\n"
                                            "  breaker  open  strict      lenient\n"
                                            "  api      #1    0:02.410    0:02.810    differs\n")));
        QVERIFY(out.contains(QStringLiteral("lenient: 180 calls, 30 rejected\n  api  opened 3 times, open 0:03.000, 30 rejected\n")));
    }

    void plotWithoutADisplay()
    {
        QTemporaryDir dir;
        const QString rec = writeIncident(dir, kStrict);
        QString lenient = kStrict;
        lenient.replace(QStringLiteral("0.5"), QStringLiteral("0.9"));
        const QString png = dir.filePath(QStringLiteral("what-if.png"));
        const Run r = replay({rec, QStringLiteral("--what-if"), writeConfig(dir, lenient, QStringLiteral("lenient.yaml")),
                              QStringLiteral("--plot"), png, QStringLiteral("--plot-size"), QStringLiteral("900x500")},
                             false);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("Plot of api written to " + png.toUtf8() + " (900x500)."));
        QFile file(png);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n"));
        // IHDR: width and height, big-endian, right after the chunk's type.
        QCOMPARE(bytes.mid(12, 4), QByteArray("IHDR"));
        const auto be32 = [&](int at) {
            return (quint32(quint8(bytes[at])) << 24) | (quint32(quint8(bytes[at + 1])) << 16) |
                   (quint32(quint8(bytes[at + 2])) << 8) | quint32(quint8(bytes[at + 3]));
        };
        QCOMPARE(be32(16), 900u);
        QCOMPARE(be32(20), 500u);
        const QImage image(png);
        QCOMPARE(image.size(), QSize(900, 500));
        // Not a blank picture: the curves and bands put many colours in it.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 5)
            for (int x = 0; x < image.width(); x += 5)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 20);
    }

    void theShippedIncidentTripsTheDemoConfiguration()
    {
        const Run r = replay({QStringLiteral(SAMPLE_RECORDING), QStringLiteral("--config"), QStringLiteral(DEMO_CONFIG),
                              QStringLiteral("--what-if"), QStringLiteral(DEMO_LENIENT)});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.isEmpty(), r.err.constData()); // every line of it reads
        const QString out = QString::fromUtf8(r.out);
        QVERIFY(out.contains(QStringLiteral("   demo          payment-service  closed → open  failure rate ")));
        QVERIFY(out.contains(QStringLiteral("   demo          group payment  closed → open  2 of 3 members open > 50%")));
        QVERIFY(out.contains(QStringLiteral("   demo-lenient  payment-service  closed → open  failure rate ")));
        QVERIFY(out.contains(QStringLiteral("  payment-service  #1    ")));
    }

    void badInputIsRefusedClearly()
    {
        QTemporaryDir dir;
        const QString rec = writeIncident(dir, kStrict);
        Run r = replay({dir.filePath(QStringLiteral("missing.jsonl"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("missing.jsonl: cannot read the file"));

        r = replay({rec, QStringLiteral("--speed"), QStringLiteral("fast")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("--speed must be max or a number above 0"));

        r = replay({rec, QStringLiteral("--format"), QStringLiteral("xml")});
        QCOMPARE(r.exitCode, 2);

        const QString bad = writeConfig(dir, QStringLiteral("circuit_breakers:\n  default:\n    failure_threshold: 7\n"),
                                        QStringLiteral("bad.yaml"));
        r = replay({rec, QStringLiteral("--config"), bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(bad.toUtf8() + ":2:3: circuit_breakers.services must list at least one service"),
                 r.err.constData());
        QVERIFY(r.out.isEmpty());

        // A recording without a configuration needs --config.
        const QString bare = writeConfig(dir, QStringLiteral("{\"t\":0,\"service\":\"api\",\"outcome\":\"success\",\"latency_ms\":1}\n"),
                                         QStringLiteral("bare.jsonl"));
        r = replay({bare});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("the recording carries no configuration; name one with --config FILE"));

        // Cut off mid-line, as after kill -9: replayed up to the line before, with a warning.
        QFile f(rec);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        writeConfig(dir, QString::fromUtf8(text.left(text.size() - 20)), QStringLiteral("cut.jsonl"));
        r = replay({dir.filePath(QStringLiteral("cut.jsonl")), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("line 181 is cut off (the file ends mid-line): read up to the line before it"),
                 r.err.constData());
        QVERIFY(r.out.contains("\"summary\":{\"calls\":179,"));

        r = replay({rec, QStringLiteral("--plot"), dir.filePath(QStringLiteral("p.png")), QStringLiteral("--plot-service"),
                    QStringLiteral("nope")}, false);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--plot-service: the recording has no calls to 'nope'"));
    }
};

QTEST_MAIN(TestE2eReplay)
#include "tst_e2e_replay.moc"
