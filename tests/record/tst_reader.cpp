// Reading recordings: every field, files with only the required ones,
// malformed and cut-off lines, order, and the lines the writer produces.
#include "recordtesting.h"

#include <QTemporaryDir>

#include <fstream>

using namespace bb;
using namespace bb::record;
using namespace bb::record::testing;

class TestReader : public QObject {
    Q_OBJECT
private slots:
    void readsHeaderAndEveryField()
    {
        RecordingHeader header;
        header.startWallMs = 1764000000123;
        header.source = "proxy";
        header.configName = "demo.yaml";
        header.config = "circuit_breakers:\n  services:\n    \"a\": {}\n";
        std::string text = headerLine(header);
        RequestLine line;
        line.tMs = 12.25;
        line.service = "bank \"api\"";
        line.outcome = CallOutcome::Timeout;
        line.latencyMs = 5000;
        line.method = "GET";
        line.path = "/bank-api/x?y=1\t";
        line.status = 504;
        line.upstream = "127.0.0.1:9000";
        line.bytes = 42;
        appendRequestLine(text, line);
        QVERIFY(text.find("\"start_time\":\"2025-11-24T") != std::string::npos);

        const LoadResult r = parseRecording(text);
        QVERIFY(r.recording);
        QCOMPARE(r.report.malformed, 0u);
        const Recording &rec = *r.recording;
        QVERIFY(rec.hasHeader);
        QCOMPARE(rec.header.startWallMs, 1764000000123);
        QCOMPARE(rec.header.source, std::string("proxy"));
        QCOMPARE(rec.header.configName, std::string("demo.yaml"));
        QCOMPARE(rec.header.config, header.config);
        QCOMPARE(rec.services, std::vector<std::string>{"bank \"api\""});
        QCOMPARE(rec.calls.size(), 1u);
        QCOMPARE(rec.calls[0].atNs, 12250000);
        QCOMPARE(rec.calls[0].latencyNs, 5000000000);
        QCOMPARE(rec.calls[0].outcome, CallOutcome::Timeout);
        QCOMPARE(rec.endNs(), 5012250000);
    }

    void acceptsOnlyTheRequiredFields()
    {
        const LoadResult r = parseRecording("{\"t\": 0, \"service\": \"a\", \"outcome\": \"success\", \"latency_ms\": 1}\n"
                                            "{\"outcome\": \"rejected\", \"latency_ms\": 0, \"service\": \"b\", \"t\": 1.5}\n"
                                            "\n"
                                            "{\"t\": 2, \"service\": \"a\", \"outcome\": \"ignored\", \"latency_ms\": 3.5}");
        QVERIFY(r.recording);
        QVERIFY(!r.recording->hasHeader);
        QCOMPARE(r.report.malformed, 0u);
        QVERIFY(!r.report.cutOffLine);
        QCOMPARE(r.recording->calls.size(), 3u);
        QCOMPARE(r.recording->services, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(r.recording->calls[1].service, 1u);
        QCOMPARE(r.recording->calls[1].outcome, CallOutcome::Rejected);
        QCOMPARE(r.recording->calls[2].latencyNs, 3500000);
        QVERIFY(r.report.warnings().empty());
    }

    void malformedLinesAreCountedByLineNumber()
    {
        const std::string good = "{\"t\":1,\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":1}\n";
        const std::string text = good +                                                       // 1
                                 "not json at all\n" +                                        // 2
                                 "{\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":1}\n" + // 3: no t
                                 "{\"t\":2,\"service\":\"a\",\"outcome\":\"maybe\",\"latency_ms\":1}\n" + // 4
                                 "{\"t\":2,\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":-1}\n" + // 5
                                 "{\"t\":\"2\",\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":1}\n" + // 6
                                 "{\"t\":2,\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":1} x\n" + // 7
                                 "[1,2]\n" +                                                    // 8
                                 good;                                                          // 9
        const LoadResult r = parseRecording(text);
        QVERIFY(r.recording);
        QCOMPARE(r.recording->calls.size(), 2u);
        QCOMPARE(r.report.lines, 9u);
        QCOMPARE(r.report.malformed, 7u);
        std::vector<std::uint64_t> lines;
        for (const LineIssue &issue : r.report.first)
            lines.push_back(issue.line);
        QCOMPARE(lines, (std::vector<std::uint64_t>{2, 3, 4, 5, 6, 7, 8}));
        QCOMPARE(r.report.first[1].message, std::string("\"t\" is missing"));
        QCOMPARE(r.report.first[3].message, std::string("\"latency_ms\" is negative or too large"));
        QCOMPARE(r.report.first[6].message, std::string("not a JSON object"));
        const auto warnings = r.report.warnings();
        QCOMPARE(warnings.size(), 1u);
        QVERIFY(warnings[0].rfind("7 lines skipped (line 2: not a JSON object; line 3:", 0) == 0);
    }

    void aCutOffLastLineIsDroppedWithAWarning()
    {
        std::string text;
        addCalls(text, 0, 50, 10, CallOutcome::Success);
        text += "{\"t\":50,\"service\":\"api\",\"outc";
        const LoadResult r = parseRecording(text);
        QVERIFY(r.recording);
        QCOMPARE(r.recording->calls.size(), 5u);
        QCOMPARE(r.report.malformed, 0u);
        QCOMPARE(r.report.cutOffLine.value_or(0), 6u);
        QCOMPARE(r.report.warnings().back(),
                 std::string("line 6 is cut off (the file ends mid-line): read up to the line before it"));
        // A last line without its newline that is whole is a call like any other.
        text.resize(text.rfind('\n') + 1);
        text += "{\"t\":50,\"service\":\"api\",\"outcome\":\"failure\",\"latency_ms\":1}";
        QCOMPARE(parseRecording(text).recording->calls.size(), 6u);
        QVERIFY(!parseRecording(text).report.cutOffLine);
    }

    void aCorruptedMiddleLineIsSkipped()
    {
        std::string text;
        addCalls(text, 0, 30, 10, CallOutcome::Success);
        text[text.find('\n') + 5] = '\x01'; // a byte gone bad inside line 2
        const LoadResult r = parseRecording(text);
        QCOMPARE(r.recording->calls.size(), 2u);
        QCOMPARE(r.report.malformed, 1u);
        QCOMPARE(r.report.first[0].line, 2u);
    }

    void callsAreOrderedByArrival()
    {
        // Written as calls complete, so arrivals come out of order.
        const LoadResult r = parseRecording("{\"t\":30,\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":1}\n"
                                            "{\"t\":10,\"service\":\"b\",\"outcome\":\"failure\",\"latency_ms\":50}\n"
                                            "{\"t\":30,\"service\":\"c\",\"outcome\":\"success\",\"latency_ms\":1}\n"
                                            "{\"t\":20,\"service\":\"a\",\"outcome\":\"success\",\"latency_ms\":1}\n");
        const auto &calls = r.recording->calls;
        QCOMPARE(calls[0].atNs, 10000000);
        QCOMPARE(calls[1].atNs, 20000000);
        QCOMPARE(calls[2].service, 0u); // equal times keep the file's order
        QCOMPARE(calls[3].service, 2u);
    }

    void unreadableFileSaysWhich()
    {
        const LoadResult r = loadRecording("/nonexistent/x.jsonl");
        QVERIFY(!r.recording);
        QVERIFY(r.error.rfind("/nonexistent/x.jsonl: cannot read the file", 0) == 0);
    }

    void loadsFromAFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("r.jsonl").toStdString();
        std::string text;
        addCalls(text, 0, 1000, 1, CallOutcome::Success);
        std::ofstream(path) << text;
        std::uint64_t lastDone = 0, lastTotal = 0;
        const LoadResult r = loadRecording(path, [&](std::uint64_t done, std::uint64_t total) {
            lastDone = done;
            lastTotal = total;
        });
        QCOMPARE(r.recording->calls.size(), 1000u);
        QCOMPARE(lastTotal, std::uint64_t(text.size()));
        QCOMPARE(lastDone, lastTotal);
    }

    void numbersAreWrittenExactly()
    {
        std::string out;
        appendJsonNumber(out, 12.5);
        out += ' ';
        appendJsonNumber(out, 3);
        out += ' ';
        appendJsonNumber(out, 0.125);
        out += ' ';
        appendJsonNumber(out, -0.5);
        out += ' ';
        appendJsonNumber(out, 1e12 + 0.001);
        QCOMPARE(out, std::string("12.5 3 0.125 -0.5 1000000000000.001"));
    }
};

QTEST_APPLESS_MAIN(TestReader)
#include "tst_reader.moc"
