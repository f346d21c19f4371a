// https:// upstreams and a service's `tls:` block: the URL, the keys, and
// the files they name refused with file:line:column before anything starts.
// The certificates are made with openssl at test time.
#include "common/testcerts.h"
#include "config/configloader.h"

#include <QTest>

using namespace bb;
using bb::testing::TestCertsDir;

namespace {
const std::string kHead = "circuit_breakers:\n"
                          "  services:\n"
                          "    api:\n"
                          "      upstream: https://api.example.com/v2\n"
                          "      tls:\n";

QStringList issuesOf(const ConfigResult &r)
{
    QStringList out;
    for (const auto &i : r.issues)
        out << QString::fromStdString(i.toString());
    return out;
}
} // namespace

class TestConfigTls : public QObject {
    Q_OBJECT
    TestCertsDir m_tls;

    // Writes yaml as tls.yaml next to the certificates and loads it as
    // check-config and the headless start do.
    ConfigResult load(const std::string &yaml)
    {
        QFile f(m_tls.path("tls.yaml"));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(yaml.data(), qint64(yaml.size()));
        f.close();
        return loadConfiguration(f.fileName().toStdString());
    }
    std::string at(int line, int column) const
    {
        return m_tls.path("tls.yaml").toStdString() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_tls.certs.error.isEmpty(), qPrintable(m_tls.certs.error));
        QVERIFY2(testing::makeClientCerts(m_tls.dir.path(), m_tls.certs), qPrintable(m_tls.certs.error));
    }

    void httpsUrlsParseWithTheirDefaultPort()
    {
        const auto https = parseUpstreamUrl("https://api.example.com/v2", nullptr);
        QVERIFY(https);
        QVERIFY(https->tls);
        QCOMPARE(https->host, std::string("api.example.com"));
        QCOMPARE(https->port, std::uint16_t(443));
        QCOMPARE(https->basePath, std::string("/v2"));
        const auto withPort = parseUpstreamUrl("https://[::1]:8443", nullptr);
        QVERIFY(withPort && withPort->tls);
        QCOMPARE(withPort->port, std::uint16_t(8443));
        const auto http = parseUpstreamUrl("http://api.example.com", nullptr);
        QVERIFY(http && !http->tls);
        QCOMPARE(http->port, std::uint16_t(80));
        QVERIFY(*https != *parseUpstreamUrl("http://api.example.com:443/v2", nullptr));
        std::string why;
        QVERIFY(!parseUpstreamUrl("https:/api.example.com", &why));
        QCOMPARE(why, std::string("upstream must be an http:// or https:// URL, got 'https:/api.example.com'"));
    }

    void theTlsKeysAreReadWithPathsNextToTheFile()
    {
        const ConfigResult r = parseConfiguration(kHead + "        ca_file: certs/ca.pem\n"
                                                          "        server_name: internal.example\n"
                                                          "        client_cert: /etc/bb/client.pem\n"
                                                          "        client_key: ../keys/client.key\n"
                                                          "        min_version: 1.3\n"
                                                          "        verify: true\n",
                                                  "/srv/bb/conf/bb.yaml");
        QVERIFY2(r.ok(), qPrintable(issuesOf(r).join('\n')));
        QVERIFY(r.issues.empty());
        const UpstreamTls expected{"/srv/bb/conf/certs/ca.pem", "internal.example", "/etc/bb/client.pem",
                                   "/srv/bb/keys/client.key", TlsMinVersion::Tls13, true};
        QVERIFY(*r.config->service("api")->tls == expected);
        // Without a block: no tls settings; with an empty one: the defaults.
        const ConfigResult none = parseConfiguration(kHead.substr(0, kHead.size() - 11), "a.yaml");
        QVERIFY(none.ok() && !none.config->service("api")->tls);
        const ConfigResult empty = parseConfiguration(kHead.substr(0, kHead.size() - 1) + " {}\n", "a.yaml");
        QVERIFY(empty.ok());
        QVERIFY(*empty.config->service("api")->tls == UpstreamTls{});
    }

    void badTlsBlocksAreRefusedWithPositions_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        const auto row = [](const char *name, const std::string &yaml, const char *expected) {
            QTest::newRow(name) << QString::fromStdString(yaml) << QString::fromUtf8(expected);
        };
        row("tls on http",
            "circuit_breakers:\n  services:\n    api:\n      upstream: http://127.0.0.1:9000\n      tls:\n        verify: true\n",
            "bad.yaml:6:9: service 'api': a tls block needs an https:// upstream, got 'http://127.0.0.1:9000'");
        row("cert without key", kHead + "        client_cert: client.pem\n",
            "bad.yaml:6:9: service 'api': tls.client_cert and tls.client_key go together: give both or neither");
        row("key without cert", kHead + "        client_key: client.key\n",
            "bad.yaml:6:9: service 'api': tls.client_cert and tls.client_key go together: give both or neither");
        row("unknown key", kHead + "        ca: ca.pem\n", "bad.yaml:6:9: unknown key 'ca' in tls");
        row("min version", kHead + "        min_version: 1.1\n", "bad.yaml:6:22: tls.min_version must be 1.2 or 1.3, got '1.1'");
        row("verify not a bool", kHead + "        verify: maybe\n", "bad.yaml:6:17: tls.verify must be true or false");
        row("empty path", kHead + "        ca_file: \"\"\n", "bad.yaml:6:18: tls.ca_file must name a file");
        row("server name with port", kHead + "        server_name: a.example:443\n",
            "bad.yaml:6:22: tls.server_name must be a host name, got 'a.example:443'");
        row("not a mapping", kHead.substr(0, kHead.size() - 1) + " yes\n", "bad.yaml:5:12: tls must be a mapping of keys to values");
    }

    void badTlsBlocksAreRefusedWithPositions()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const ConfigResult r = parseConfiguration(yaml.toStdString(), "bad.yaml");
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.errors().front().toString()), expected);
    }

    void verifyFalseIsAllowedWithAWarning()
    {
        const ConfigResult r = parseConfiguration(kHead + "        verify: false\n", "w.yaml");
        QVERIFY(r.ok());
        QVERIFY(!r.config->service("api")->tls->verify);
        QCOMPARE(r.issues.size(), std::size_t(1));
        QVERIFY(r.issues.front().warning);
        QCOMPARE(QString::fromStdString(r.issues.front().toString()),
                 QStringLiteral("w.yaml:6:17: warning: service 'api': tls.verify is false: any certificate is accepted, "
                                "so whoever sits between Breakerboard and the upstream can read and change its calls"));
    }

    void goodFilesLoad()
    {
        const ConfigResult r = load(kHead + "        ca_file: ca.pem\n"
                                            "        client_cert: client.pem\n"
                                            "        client_key: client.key\n");
        QVERIFY2(r.ok() && r.issues.empty(), qPrintable(issuesOf(r).join('\n')));
        QCOMPARE(r.config->service("api")->tls->caFile, m_tls.certs.caCert.toStdString());
    }

    void badFilesAreRefusedAtTheirKey_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QFile notes(m_tls.path("notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not a certificate\n");
        notes.close();
        const std::string dir = m_tls.dir.path().toStdString() + "/";
        const auto row = [&](const char *name, const std::string &keys, const std::string &expected) {
            QTest::newRow(name) << QString::fromStdString(kHead + keys) << QString::fromStdString(expected);
        };
        const auto pair = [](const char *cert, const char *key) {
            return std::string("        client_cert: ") + cert + "\n        client_key: " + key + "\n";
        };
        row("missing ca_file", "        ca_file: missing.pem\n",
            at(6, 18) + "tls.ca_file: cannot read " + dir + "missing.pem: No such file or directory");
        row("ca_file a directory", "        ca_file: .\n", at(6, 18) + "tls.ca_file: cannot read " + dir + ": is not a regular file");
        row("ca_file without certificate", "        ca_file: notes.txt\n",
            at(6, 18) + "tls.ca_file " + dir + "notes.txt holds no PEM certificate");
        row("client_cert without certificate", pair("client.key", "client.key"),
            at(6, 22) + "tls.client_cert " + dir + "client.key holds no PEM certificate");
        row("expired client_cert", pair("client-expired.pem", "client.key"),
            at(6, 22) + "tls.client_cert " + dir + "client-expired.pem expired on 2020-01-02T00:00:00Z");
        row("another certificate's key", pair("client.pem", "server.key"),
            at(7, 21) + "tls.client_key " + dir + "server.key does not go with tls.client_cert " + dir + "client.pem (");
        row("encrypted key", pair("server.pem", "server-encrypted.key"),
            at(7, 21) + "tls.client_key " + dir + "server-encrypted.key is encrypted: give it without a passphrase");
        row("missing key", pair("client.pem", "nope.key"),
            at(7, 21) + "tls.client_key: cannot read " + dir + "nope.key: No such file or directory");
        row("certificate as key", pair("client.pem", "client.pem"),
            at(7, 21) + "tls.client_key " + dir + "client.pem holds no PEM private key (RSA or EC)");
    }

    void badFilesAreRefusedAtTheirKey()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const ConfigResult r = load(yaml.toStdString());
        QVERIFY(!r.ok());
        const QStringList all = issuesOf(r);
        QCOMPARE(r.errors().size(), std::size_t(1));
        QVERIFY2(QString::fromStdString(r.errors().front().toString()).startsWith(expected), qPrintable(all.join('\n')));
    }

    void filesUnderDefaultAreCheckedOnce()
    {
        const ConfigResult r = load("circuit_breakers:\n"
                                    "  default:\n"
                                    "    tls: {ca_file: missing.pem}\n"
                                    "  services:\n"
                                    "    a: {upstream: https://a.example}\n"
                                    "    b: {upstream: https://b.example}\n");
        QCOMPARE(r.errors().size(), std::size_t(1));
        QCOMPARE(r.errors().front().line, 3);
        QCOMPARE(r.errors().front().column, 20);
    }

    void theExamplesCommentedTlsBlockReads()
    {
        QFile example(QStringLiteral(EXAMPLE_YAML));
        QVERIFY(example.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(example.readAll());
        text.replace(QStringLiteral("      # tls:\n"), QStringLiteral("      tls:\n"));
        text.replace(QStringLiteral("      #   "), QStringLiteral("        "));
        const ConfigResult r = parseConfiguration(text.toStdString(), "/etc/breakerboard/example.yaml");
        QVERIFY2(r.ok() && r.issues.empty(), qPrintable(issuesOf(r).join('\n')));
        const UpstreamTls expected{"/etc/breakerboard/certs/api-ca.pem", "api.example.com",
                                   "/etc/breakerboard/certs/client.pem", "/etc/breakerboard/certs/client.key",
                                   TlsMinVersion::Tls12, true};
        QVERIFY(*r.config->service("external-api")->tls == expected);
    }

    void textFromElsewhereDoesNotReadFiles()
    {
        // A recording's embedded configuration names files of another machine.
        const ConfigResult r = parseConfiguration(kHead + "        ca_file: /nonexistent/ca.pem\n", "recorded.yaml");
        QVERIFY(r.ok());
    }
};

QTEST_GUILESS_MAIN(TestConfigTls)
#include "tst_config_tls.moc"
