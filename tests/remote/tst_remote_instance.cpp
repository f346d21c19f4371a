// Which instances to attach to: --attach URLs (schemes, hosts, ports, paths
// refused with a reason), fleet files (every problem at its line and column),
// and what counts as loopback.
#include "remote/instance.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace bb::remote;

namespace {
QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text) {
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(text);
    return path;
}
} // namespace

class TestRemoteInstance : public QObject {
    Q_OBJECT
private slots:
    void urlsOfAdminApis_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("base");
        QTest::newRow("http") << "http://127.0.0.1:9901"
                              << "127.0.0.1:9901"
                              << "http://127.0.0.1:9901";
        QTest::newRow("a slash") << "http://127.0.0.1:9901/"
                                 << "127.0.0.1:9901"
                                 << "http://127.0.0.1:9901";
        QTest::newRow("https, upper case") << " HTTPS://Admin.Example.org:9443 "
                                           << "admin.example.org:9443"
                                           << "https://admin.example.org:9443";
        QTest::newRow("ipv6") << "http://[::1]:9901"
                              << "[::1]:9901"
                              << "http://[::1]:9901";
    }
    void urlsOfAdminApis() {
        QFETCH(QString, url);
        QFETCH(QString, name);
        QFETCH(QString, base);
        QString error;
        const auto instance = instanceFromUrl(url, "token", "ca.pem", &error);
        QVERIFY2(instance, qPrintable(error));
        QCOMPARE(instance->name, name);
        QCOMPARE(instance->url.toString(), base);
        QCOMPARE(instance->tokenFile, QString("token"));
        QCOMPARE(instance->caFile, QString("ca.pem"));
    }

    void otherUrlsAreRefusedWithTheReason_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error");
        const QString scheme = "must start with http:// or https://, such as http://127.0.0.1:9901";
        QTest::newRow("ftp") << "ftp://127.0.0.1:21" << scheme;
        QTest::newRow("no scheme") << "127.0.0.1:9901" << scheme;
        QTest::newRow("host:port") << "localhost:9901" << scheme;
        QTest::newRow("empty") << "" << scheme;
        QTest::newRow("no port") << "http://10.0.0.5"
                                 << "needs a port, such as http://10.0.0.5:9901";
        QTest::newRow("no host") << "http://:9901"
                                 << "needs a host, such as http://127.0.0.1:9901";
        QTest::newRow("port too big")
            << "http://h:99999"
            << "is not a valid URL (invalid port or port number out of range)";
        QTest::newRow("port not a number")
            << "http://h:x"
            << "is not a valid URL (invalid port or port number out of range)";
        QTest::newRow("port 0") << "http://h:0"
                                << "needs a port, such as http://h:9901";
        QTest::newRow("a path")
            << "http://h:9901/api/v1"
            << "has a path (/api/v1): give the admin API's address only, such as http://h:9901";
        QTest::newRow("a query")
            << "http://h:9901/?x=1"
            << "must not have a query or a fragment: give the admin API's address only";
        QTest::newRow("a password")
            << "https://u:p@h:9901"
            << "must not carry a user name or password (a token goes in a token file)";
    }
    void otherUrlsAreRefusedWithTheReason() {
        QFETCH(QString, url);
        QFETCH(QString, error);
        QString why;
        QVERIFY(!instanceFromUrl(url, {}, {}, &why));
        QCOMPARE(why, error);
    }

    void loopback_data() {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("127.0.0.1") << "http://127.0.0.1:1" << true;
        QTest::newRow("127.8.9.10") << "http://127.8.9.10:1" << true;
        QTest::newRow("::1") << "http://[::1]:1" << true;
        QTest::newRow("localhost") << "http://LocalHost:1" << true;
        QTest::newRow("10.1.2.3") << "http://10.1.2.3:1" << false;
        QTest::newRow("128.0.0.1") << "http://128.0.0.1:1" << false;
        QTest::newRow("::2") << "http://[::2]:1" << false;
        QTest::newRow("a name") << "http://localhost.example.org:1" << false;
    }
    void loopback() {
        QFETCH(QString, url);
        QFETCH(bool, loopback);
        QCOMPARE(isLoopback(QUrl(url)), loopback);
    }

    void aFleetFile() {
        QTemporaryDir dir;
        const QString path =
            write(dir, "fleet.yaml",
                  "# the fleet\n"
                  "instances:\n"
                  "  - name: eu-1\n"
                  "    url: https://10.0.0.5:9901\n"
                  "    token_file: tokens/eu-1\n"
                  "    ca_file: ../ca.pem\n"
                  "  - {name: local, url: 'http://127.0.0.1:9902/', token_file: /etc/bb/token}\n");
        QStringList errors;
        const auto fleet = loadFleetFile(path, &errors);
        QVERIFY2(fleet, qPrintable(errors.join('\n')));
        QVERIFY(errors.isEmpty());
        QCOMPARE(fleet->size(), 2u);
        const Instance &eu = fleet->at(0);
        QCOMPARE(eu.name, QString("eu-1"));
        QCOMPARE(eu.url.toString(), QString("https://10.0.0.5:9901"));
        QCOMPARE(eu.tokenFile, dir.filePath("tokens/eu-1"));
        QCOMPARE(eu.caFile, QDir::cleanPath(dir.filePath("../ca.pem")));
        const Instance &local = fleet->at(1);
        QCOMPARE(local.name, QString("local"));
        QCOMPARE(local.url.toString(), QString("http://127.0.0.1:9902"));
        QCOMPARE(local.tokenFile, QString("/etc/bb/token"));
        QCOMPARE(local.caFile, QString());
    }

    void badFleetFilesSayWhereAndWhat_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("errors");
        const QByteArray good = "    url: http://127.0.0.1:9901\n";
        QTest::newRow("empty") << QByteArray()
                               << QStringList{
                                      "1:1: a fleet file is a mapping with one key, 'instances'"};
        QTest::newRow("syntax") << QByteArray("instances: [a\n")
                                << QStringList{"2:1: YAML syntax: end of sequence flow not found"};
        QTest::newRow("not a list")
            << QByteArray("instances: eu-1\n")
            << QStringList{"1:12: instances must be a list of instances, each with a name "
                           "and a url"};
        QTest::newRow("unknown top-level key")
            << QByteArray("instances:\n  - name: a\n" + good + "timeout: 5\n")
            << QStringList{"4:1: unknown key 'timeout' in the top level"};
        QTest::newRow("not a mapping")
            << QByteArray("instances:\n  - http://127.0.0.1:9901\n")
            << QStringList{"2:5: an instance must be a mapping of keys to values"};
        QTest::newRow("unknown key")
            << QByteArray("instances:\n  - name: a\n" + good + "    token: abc\n")
            << QStringList{"4:5: unknown key 'token' in an instance"};
        QTest::newRow("repeated key")
            << QByteArray("instances:\n  - name: a\n    name: b\n" + good)
            << QStringList{"3:5: key 'name' appears twice in an instance"};
        QTest::newRow("wrong type")
            << QByteArray("instances:\n  - name: [a, b]\n" + good + "    token_file: {}\n")
            << QStringList{"2:11: name must be a string", "4:17: token_file must be a string"};
        QTest::newRow("empty name") << QByteArray("instances:\n  - name: ''\n" + good)
                                    << QStringList{"2:11: name must not be empty"};
        QTest::newRow("no name, no url")
            << QByteArray("instances:\n  - ca_file: ca.pem\n")
            << QStringList{"2:5: an instance needs 'name'", "2:5: an instance needs 'url'"};
        QTest::newRow("bad url")
            << QByteArray("instances:\n  - name: a\n    url: ftp://h:21\n")
            << QStringList{"3:10: url 'ftp://h:21' must start with http:// or https://, such "
                           "as http://127.0.0.1:9901"};
        QTest::newRow("url with a path")
            << QByteArray("instances:\n  - name: a\n    url: http://h:1/x\n")
            << QStringList{"3:10: url 'http://h:1/x' has a path (/x): give the admin "
                           "API's address only, such as http://h:1"};
        QTest::newRow("duplicate name")
            << QByteArray("instances:\n  - name: a\n" + good +
                          "  - name: a\n    url: http://127.0.0.1:9902\n")
            << QStringList{"4:11: instance name 'a' is given twice (first on line 2)"};
        QTest::newRow("duplicate url")
            << QByteArray("instances:\n  - name: a\n" + good +
                          "  - name: b\n    url: http://127.0.0.1:9901/\n")
            << QStringList{"5:10: url 'http://127.0.0.1:9901' is given twice (first on line 3)"};
    }
    void badFleetFilesSayWhereAndWhat() {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, errors);
        QTemporaryDir dir;
        const QString path = write(dir, "fleet.yaml", text);
        QStringList got;
        QVERIFY(!loadFleetFile(path, &got));
        QStringList expected;
        for (const QString &e : errors)
            expected << path + ":" + e;
        QCOMPARE(got, expected);
    }

    void anUnreadableFleetFile() {
        QStringList errors;
        QVERIFY(!loadFleetFile("/nonexistent/fleet.yaml", &errors));
        QCOMPARE(errors, QStringList{"/nonexistent/fleet.yaml:1:1: cannot read the file"});
    }
};

QTEST_GUILESS_MAIN(TestRemoteInstance)
#include "tst_remote_instance.moc"
