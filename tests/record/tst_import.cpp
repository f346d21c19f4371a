// Importers on real samples: an nginx access log written by nginx itself in
// front of a test upstream, a HAR file saved by a browser, and an Envoy log
// in Envoy's default format (Debian has no Envoy); and each on broken input.
#include "recordtesting.h"

#include "httpclient.h"
#include "nginxprocess.h"
#include "testupstream.h"

#include "record/importer.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

using namespace bb;
using namespace bb::record;
using namespace bb::testing;
using namespace bb::record::testing;

namespace {
std::vector<std::pair<std::string, CallOutcome>> callsOf(const Recording &r)
{
    std::vector<std::pair<std::string, CallOutcome>> out;
    for (const RecordedCall &c : r.calls)
        out.emplace_back(r.services[c.service], c.outcome);
    return out;
}

Recording loadOk(const QString &path)
{
    LoadResult r = loadRecording(path.toStdString());
    if (!r.recording || r.report.malformed != 0)
        qFatal("the imported recording does not read back cleanly");
    return std::move(*r.recording);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

void writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(data);
}

const std::string kEnvoyConfig = "circuit_breakers:\n  services:\n"
                                 "    payments: {upstream: 'http://127.0.0.1:9101', route: /payments}\n"
                                 "    users: {upstream: 'http://127.0.0.1:9102', route: /users}\n";
using O = CallOutcome;
} // namespace

class TestImport : public QObject {
    Q_OBJECT
private slots:
    void nginxLogWrittenByNginx()
    {
        SKIP_WITHOUT_NGINX();
        TestUpstream up;
        QTemporaryDir dir;
        const QString log = dir.filePath("access.log");
        const QString logFormat =
            QStringLiteral("  log_format breakerboard '$remote_addr - $remote_user [$time_local] \"$request\" '\n"
                           "    '$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" '\n"
                           "    '$request_time $upstream_response_time $upstream_addr $msec \"$host\"';\n");
        NginxProcess nginx(QStringLiteral("    access_log %1 breakerboard;\n"
                                          "    location /api/ { proxy_pass http://127.0.0.1:%2/; proxy_read_timeout 200ms; }\n"
                                          "    location /web/ { return 200 \"static\"; }\n")
                               .arg(log)
                               .arg(up.port()),
                           logFormat);
        QVERIFY2(nginx.started(), qPrintable(nginx.error()));
        HttpClient client(nginx.port());
        for (const char *path : {"/api/ok", "/api/ok", "/api/status/500", "/api/status/503", "/api/slow/1000",
                                 "/web/x", "/api/status/404", "/nowhere"})
            QVERIFY(client.get(path));
        const std::string yaml = "circuit_breakers:\n  services:\n"
                                 "    api: {upstream: 'http://127.0.0.1:" + std::to_string(up.port()) + "/'}\n"
                                 "    web: {route: /web}\n";
        const Configuration config = configOf(yaml);
        // nginx writes each line as its request ends.
        QTRY_COMPARE_WITH_TIMEOUT(readAll(log).count('\n'), 8, 5000);

        const QString out = dir.filePath("nginx.jsonl");
        const ImportResult r = importLog(ImportFormat::Nginx, log.toStdString(), out.toStdString(), &config,
                                         "test.yaml", yaml);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 7u);
        QCOMPARE(r.report.malformed, 1u);
        QCOMPARE(r.report.first[0].line, 8u);
        QCOMPARE(r.report.first[0].message, std::string("no configured service for localhost/nowhere"));
        QVERIFY(r.notes.empty()); // $msec is there: milliseconds

        const Recording rec = loadOk(out);
        QCOMPARE(rec.header.source, std::string("import nginx"));
        QCOMPARE(rec.header.config, yaml);
        QCOMPARE(callsOf(rec), (std::vector<std::pair<std::string, CallOutcome>>{
                                   {"api", O::Success}, {"api", O::Success}, {"api", O::Failure}, {"api", O::Failure},
                                   {"api", O::Timeout}, {"web", O::Success}, {"api", O::Ignored}}));
        // The slow call was cut at nginx's 0.2 s read timeout.
        QVERIFY(rec.calls[4].latencyNs >= 190'000'000 && rec.calls[4].latencyNs < 900'000'000);
        QCOMPARE(rec.calls[0].atNs, 0);
        for (std::size_t i = 1; i < rec.calls.size(); ++i)
            QVERIFY(rec.calls[i].atNs >= rec.calls[i - 1].atNs);

        // Broken lines: counted with their numbers; the rest still imported.
        QByteArray broken = readAll(log);
        broken.insert(0, "this is not a log line\n");
        broken += "127.0.0.1 - - [not a time] \"GET /api/ok HTTP/1.1\" 200 2 \"-\" \"x\" 0.001 0.001 - 1.0 \"h\"\n";
        broken += "127.0.0.1 - - [24/Nov/2026:10:00:00 +0000] \"GET /api/ok HTTP/1.1\" 200 2 \"-\" \"x\" abc - - ";
        writeFile(dir.filePath("broken.log"), broken);
        const ImportResult b = importLog(ImportFormat::Nginx, dir.filePath("broken.log").toStdString(),
                                         dir.filePath("broken.jsonl").toStdString(), &config, "", "");
        QVERIFY(b.ok);
        QCOMPARE(b.imported, 7u);
        QCOMPARE(b.report.malformed, 4u);
        std::vector<std::uint64_t> lines;
        for (const LineIssue &issue : b.report.first)
            lines.push_back(issue.line);
        QCOMPARE(lines, (std::vector<std::uint64_t>{1, 9, 10, 11}));
        QCOMPARE(b.report.first[2].message, std::string("the time is not [dd/Mon/yyyy:hh:mm:ss zone]"));
        QCOMPARE(b.report.first[3].message, std::string("$request_time is not a number of seconds"));
    }

    void envoyDefaultFormat()
    {
        QTemporaryDir dir;
        const Configuration config = configOf(kEnvoyConfig);
        const QString out = dir.filePath("envoy.jsonl");
        const ImportResult r = importLog(ImportFormat::Envoy, QFINDTESTDATA("data/envoy-access.log").toStdString(),
                                         out.toStdString(), &config, "", "");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 9u);
        QCOMPARE(r.report.malformed, 1u);
        QCOMPARE(r.report.first[0].line, 8u);
        QCOMPARE(r.report.first[0].message, std::string("Envoy found no route for it (NR)"));
        const Recording rec = loadOk(out);
        QCOMPARE(callsOf(rec), (std::vector<std::pair<std::string, CallOutcome>>{
                                   {"payments", O::Success}, {"payments", O::Failure}, {"payments", O::Timeout},
                                   {"payments", O::Rejected}, {"users", O::Success}, {"users", O::Ignored},
                                   {"users", O::Ignored}, {"users", O::Failure}, {"payments", O::Failure}}));
        QCOMPARE(rec.header.startWallMs, 1795165200100);
        QCOMPARE(rec.calls[2].atNs, 200'000'000);
        QCOMPARE(rec.calls[2].latencyNs, 15'001'000'000);
    }

    void envoyBrokenLines()
    {
        QTemporaryDir dir;
        QByteArray text = readAll(QFINDTESTDATA("data/envoy-access.log"));
        text.replace("[2026-11-20T09:00:00.500Z]", "[yesterday]");
        text += "[2026-11-20T09:00:02.000Z] \"GET /users/1 HTTP/1.1\" 200 - 0 1 abc - \"-\" \"x\" \"id\" \"users.local\" \"-\"\n";
        text += "[2026-11-20T09:00:03.000Z] \"GET /users/1 HTTP/1.1\" 200 - 0 1 2\n";
        text += "[2026-11-20T09:00:03.000Z] \"GET /users/1 HTTP/1.1\" 200 - 0 1 2 - \"-\" \"x\" \"id\" \"users.local";
        writeFile(dir.filePath("broken.log"), text);
        const Configuration config = configOf(kEnvoyConfig);
        const ImportResult r = importLog(ImportFormat::Envoy, dir.filePath("broken.log").toStdString(),
                                         dir.filePath("out.jsonl").toStdString(), &config, "", "");
        QVERIFY(r.ok);
        QCOMPARE(r.imported, 8u);
        std::vector<std::uint64_t> lines;
        for (const LineIssue &issue : r.report.first)
            lines.push_back(issue.line);
        QCOMPARE(lines, (std::vector<std::uint64_t>{5, 8, 11, 12, 13}));
        QCOMPARE(r.report.first[0].message, std::string("the start time is not an ISO 8601 time"));
        QCOMPARE(r.report.first[3].message, std::string("not Envoy's default access-log format"));
        QCOMPARE(r.report.first[4].message, std::string("a quote or bracket is not closed"));
    }

    void harSavedByChrome()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("chrome.jsonl");
        const ImportResult r = importLog(ImportFormat::Har, QFINDTESTDATA("data/chrome47-run.sitespeed.io.har").toStdString(),
                                         out.toStdString(), nullptr, "", "");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 10u);
        QCOMPARE(r.report.malformed, 0u);
        const Recording rec = loadOk(out);
        QCOMPARE(rec.header.source, std::string("import har"));
        QCOMPARE(rec.services, (std::vector<std::string>{"run.sitespeed.io", "www.google-analytics.com"}));
        std::size_t analytics = 0;
        for (const RecordedCall &c : rec.calls) {
            QCOMPARE(c.outcome, O::Success);
            QVERIFY(c.latencyNs > 0);
            analytics += c.service == 1;
        }
        QCOMPARE(analytics, 2u);
        QCOMPARE(rec.calls[0].atNs, 0);
        QCOMPARE(rec.header.startWallMs, 1453185990145); // 2016-01-19T06:46:30.145Z, the first entry
    }

    void harSavedByFirefoxWithAConfiguration()
    {
        QTemporaryDir dir;
        const Configuration config = configOf("circuit_breakers:\n  services:\n"
                                              "    linkedin: {route: www.linkedin.com}\n"
                                              "    static: {route: static.licdn.com}\n");
        const QString out = dir.filePath("firefox.jsonl");
        const ImportResult r = importLog(ImportFormat::Har, QFINDTESTDATA("data/firefox43-linkedin.har").toStdString(),
                                         out.toStdString(), &config, "", "");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.imported, 16u);
        QCOMPARE(r.report.malformed, 7u); // the third parties: named, not dropped silently
        QCOMPARE(r.report.first[0].line, 11u);
        QCOMPARE(r.report.first[0].message, std::string("no configured service for platform.linkedin.com/js/analytics.js"));
        QVERIFY(r.report.warnings()[0].rfind("7 entries skipped (entry 11: no configured service for ", 0) == 0);
        const Recording rec = loadOk(out);
        QCOMPARE(rec.services, (std::vector<std::string>{"linkedin", "static"}));
        for (const RecordedCall &c : rec.calls)
            QCOMPARE(c.outcome, O::Success);
    }

    void harBroken()
    {
        QTemporaryDir dir;
        QByteArray text = readAll(QFINDTESTDATA("data/chrome47-run.sitespeed.io.har"));
        QByteArray damaged = text;
        damaged.replace("\"startedDateTime\": \"2016-01-19T06:46:30.145Z\"", "\"startedDateTime\": \"soon\"");
        writeFile(dir.filePath("damaged.har"), damaged);
        const ImportResult d = importLog(ImportFormat::Har, dir.filePath("damaged.har").toStdString(),
                                         dir.filePath("d.jsonl").toStdString(), nullptr, "", "");
        QVERIFY(d.ok);
        QCOMPARE(d.imported, 9u);
        QCOMPARE(d.report.malformed, 1u);
        QCOMPARE(d.report.first[0].line, 1u);
        QCOMPARE(d.report.warnings()[0], std::string("1 entry skipped (entry 1: startedDateTime is not an ISO 8601 time)"));

        writeFile(dir.filePath("cut.har"), text.left(text.size() / 2));
        const ImportResult c = importLog(ImportFormat::Har, dir.filePath("cut.har").toStdString(),
                                         dir.filePath("c.jsonl").toStdString(), nullptr, "", "");
        QVERIFY(c.ok);
        QCOMPARE(c.imported, 0u);
        QCOMPARE(c.report.malformed, 1u);
        QVERIFY(c.report.warnings()[0].rfind("1 entry skipped (the file is not JSON (", 0) == 0);
    }

    void missingInputSaysWhich()
    {
        QTemporaryDir dir;
        const ImportResult r = importLog(ImportFormat::Nginx, "/nonexistent.log", dir.filePath("x").toStdString(),
                                         nullptr, "", "");
        QVERIFY(!r.ok);
        QCOMPARE(r.error, std::string("/nonexistent.log: cannot read the file"));
        QVERIFY(!QFile::exists(dir.filePath("x")));
    }

    void commandLine()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("c.yaml"), QByteArray::fromStdString(kEnvoyConfig));
        QProcess p;
        p.start(QStringLiteral(BREAKERBOARD_BINARY),
                {QStringLiteral("import"), QStringLiteral("--from"), QStringLiteral("envoy"),
                 QFINDTESTDATA("data/envoy-access.log"), QStringLiteral("-o"), dir.filePath("out.jsonl"),
                 QStringLiteral("--config"), dir.filePath("c.yaml")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 0);
        const QString stdoutText = QString::fromUtf8(p.readAllStandardOutput());
        const QString stderrText = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(stdoutText.startsWith(QStringLiteral("Imported 9 requests from ")), qPrintable(stdoutText));
        QVERIFY2(stderrText.contains(QStringLiteral("1 line skipped (line 8: Envoy found no route for it (NR))")),
                 qPrintable(stderrText));
        QVERIFY(loadOk(dir.filePath("out.jsonl")).header.config == kEnvoyConfig);

        p.start(QStringLiteral(BREAKERBOARD_BINARY), {QStringLiteral("import"), QStringLiteral("--from"),
                                                      QStringLiteral("syslog"), QStringLiteral("x"),
                                                      QStringLiteral("-o"), dir.filePath("y.jsonl")});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 2);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("--from must be nginx, har or envoy")));
    }
};

QTEST_MAIN(TestImport)
#include "tst_import.moc"
