// The `shared_state:` block read with exact values, every bad block refused
// at its position, and the --redis and --instance flags over the file.
#include "config/configloader.h"
#include "config/sharedstateflags.h"

#include <QTest>

using namespace bb;

namespace {
const std::string kServices = "circuit_breakers:\n  services:\n    a: {}\n";

QString firstError(const std::string &block)
{
    const ConfigResult r = parseConfiguration(kServices + block, "bad.yaml");
    const auto errors = r.errors();
    return errors.empty() ? QStringLiteral("(no error)") : QString::fromStdString(errors.front().toString());
}

SharedStateConfig fileBlock()
{
    SharedStateConfig c;
    c.redisUrl = "redis://10.0.0.5:6380/2";
    c.redis = {"10.0.0.5", 6380, 2, false};
    c.passwordFile = "/etc/bb/secret";
    c.cluster = "shop";
    c.breakers = SharedBreakers::Follow;
    c.quorum = 2;
    return c;
}
} // namespace

class TestConfigShared : public QObject {
    Q_OBJECT
private slots:
    void aFullBlockIsReadWithItsValues()
    {
        const ConfigResult r = parseConfiguration(kServices + "shared_state:\n  redis: redis://10.0.0.5:6380/2\n"
                                                              "  password_file: secret\n  cluster: shop\n"
                                                              "  breakers: follow\n  quorum: 2\n",
                                                  "/etc/bb/config.yaml");
        QVERIFY(r.ok());
        QVERIFY(r.errors().empty());
        QCOMPARE(r.config->sharedState, std::optional<SharedStateConfig>(fileBlock()));
        QCOMPARE(r.config->sharedState->redis.display(), std::string("10.0.0.5:6380/2"));
    }

    void aMinimalBlockTakesTheDefaults()
    {
        const ConfigResult r = parseConfiguration(kServices + "shared_state:\n  redis: redis://:pw@localhost:6379\n",
                                                  "config.yaml");
        QVERIFY(r.ok());
        const SharedStateConfig &s = *r.config->sharedState;
        QCOMPARE(s.redis, (RedisEndpoint{"localhost", 6379, 0, true}));
        QCOMPARE(s.redisUrl, std::string("redis://:pw@localhost:6379"));
        QCOMPARE(s.cluster, std::string("breakerboard"));
        QCOMPARE(s.breakers, SharedBreakers::Local);
        QCOMPARE(s.quorum, std::optional<std::uint32_t>());
        QVERIFY(s.passwordFile.empty());
        QVERIFY(s.redis.display().find("pw") == std::string::npos);
    }

    void withoutTheBlockThereIsNoSharedState()
    {
        const ConfigResult r = parseConfiguration(kServices, "config.yaml");
        QVERIFY(r.ok());
        QVERIFY(!r.config->sharedState);
    }

    void badBlocksAreRefusedWithPositions_data()
    {
        QTest::addColumn<QString>("block");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const char *block, const char *expected) {
            QTest::newRow(name) << QString::fromUtf8(block) << QString::fromUtf8(expected);
        };
        const char *url = "shared_state:\n  redis: redis://h:6379\n";
        row("not a map", "shared_state: redis://h:6379\n", "bad.yaml:4:15: shared_state must be a mapping of keys to values");
        row("no redis", "shared_state:\n  cluster: x\n", "bad.yaml:5:3: shared_state needs redis: redis://HOST:PORT[/DB]");
        row("unknown key", "shared_state:\n  redis: redis://h:6379\n  clutser: x\n", "bad.yaml:6:3: unknown key 'clutser' in shared_state");
        row("repeated key", "shared_state:\n  redis: redis://h:6379\n  redis: redis://h:6380\n", "bad.yaml:6:3: key 'redis' appears twice in shared_state");
        row("redis a list", "shared_state:\n  redis: [a]\n", "bad.yaml:5:10: shared_state.redis must be a string");
        row("redis without scheme", "shared_state:\n  redis: h:6379\n",
            "bad.yaml:5:10: shared_state.redis: Redis URL has no scheme: expected redis://[:password@]HOST:PORT[/DB]");
        row("redis without port", "shared_state:\n  redis: redis://h\n",
            "bad.yaml:5:10: shared_state.redis: Redis URL has no port (or port 0): expected HOST:PORT, e.g. 127.0.0.1:6379");
        row("redis other scheme", "shared_state:\n  redis: http://h:6379\n",
            "bad.yaml:5:10: shared_state.redis: Redis URL scheme \"http\" is not supported: expected redis://");
        row("redis bad db", "shared_state:\n  redis: redis://h:6379/x\n",
            "bad.yaml:5:10: shared_state.redis: Redis URL database \"x\" is not a number from 0 up");
        row("password twice", "shared_state:\n  redis: redis://:pw@h:6379\n  password_file: secret\n",
            "bad.yaml:6:18: shared_state: the password is given twice, in redis and in password_file");
        row("empty password file", (std::string(url) + "  password_file: \"\"\n").c_str(),
            "bad.yaml:6:18: shared_state.password_file must name a file");
        row("cluster with a space", (std::string(url) + "  cluster: my shop\n").c_str(),
            "bad.yaml:6:12: shared_state.cluster must be 1 to 64 letters, digits, '-', '_' or '.', got 'my shop'");
        row("cluster with a colon", (std::string(url) + "  cluster: a:b\n").c_str(),
            "bad.yaml:6:12: shared_state.cluster must be 1 to 64 letters, digits, '-', '_' or '.', got 'a:b'");
        row("cluster too long", (std::string(url) + "  cluster: " + std::string(65, 'c') + "\n").c_str(),
            ("bad.yaml:6:12: shared_state.cluster must be 1 to 64 letters, digits, '-', '_' or '.', got '" +
             std::string(65, 'c') + "'").c_str());
        row("cluster a map", (std::string(url) + "  cluster: {a: 1}\n").c_str(), "bad.yaml:6:12: shared_state.cluster must be a string");
        row("unknown breakers", (std::string(url) + "  breakers: lead\n").c_str(),
            "bad.yaml:6:13: shared_state.breakers must be 'local' or 'follow', got 'lead'");
        row("quorum without follow", (std::string(url) + "  quorum: 2\n").c_str(),
            "bad.yaml:6:11: shared_state.quorum counts instances for breakers: follow; breakers is local");
        row("quorum with local", (std::string(url) + "  breakers: local\n  quorum: 2\n").c_str(),
            "bad.yaml:7:11: shared_state.quorum counts instances for breakers: follow; breakers is local");
        row("quorum zero", (std::string(url) + "  breakers: follow\n  quorum: 0\n").c_str(),
            "bad.yaml:7:11: shared_state.quorum must be between 1 and 1000, got 0");
        row("quorum too big", (std::string(url) + "  breakers: follow\n  quorum: 1001\n").c_str(),
            "bad.yaml:7:11: shared_state.quorum must be between 1 and 1000, got 1001");
        row("quorum fractional", (std::string(url) + "  breakers: follow\n  quorum: 1.5\n").c_str(),
            "bad.yaml:7:11: shared_state.quorum must be a whole number, got '1.5'");
    }

    void badBlocksAreRefusedWithPositions()
    {
        QFETCH(QString, block);
        QFETCH(QString, expected);
        QCOMPARE(firstError(block.toStdString()), expected);
        QVERIFY(!parseConfiguration(kServices + block.toStdString(), "bad.yaml").ok());
    }

    void aPasswordIsNeverEchoed()
    {
        const QString error = firstError("shared_state:\n  redis: redis://user:hunter2@h:6379\n");
        QVERIFY2(error.startsWith(QStringLiteral("bad.yaml:5:10: shared_state.redis: Redis URL names a user")),
                 qPrintable(error));
        QVERIFY(!error.contains(QStringLiteral("hunter2")));
    }

    void badFlagsAreRefusedInOneLine()
    {
        QCOMPARE(checkSharedStateFlags({}), std::string());
        QCOMPARE(checkSharedStateFlags({"redis://h:6379/1", "web-1.eu:8080"}), std::string());
        QCOMPARE(checkSharedStateFlags({"bogus", std::nullopt}),
                 std::string("--redis: Redis URL has no scheme: expected redis://[:password@]HOST:PORT[/DB]"));
        QCOMPARE(checkSharedStateFlags({std::nullopt, "web 1"}),
                 std::string("--instance must be 1 to 64 letters, digits, '.', '_', ':' or '-', got 'web 1'"));
        QVERIFY(!checkSharedStateFlags({std::nullopt, ""}).empty());
        QVERIFY(!checkSharedStateFlags({std::nullopt, std::string(65, 'i')}).empty());
        QVERIFY(checkSharedStateFlags({std::nullopt, std::string(64, 'i')}).empty());
    }

    void withNeitherFileNorFlagNothingChanges()
    {
        QCOMPARE(mergeSharedState(std::nullopt, {}, "host:8080"), std::optional<SharedStateSettings>());
        QCOMPARE(mergeSharedState(std::nullopt, {std::nullopt, "named"}, "host:8080"),
                 std::optional<SharedStateSettings>());
    }

    void theFileAloneGivesItsBlockAndTheDefaultInstance()
    {
        const auto merged = mergeSharedState(fileBlock(), {}, "host:8080");
        QCOMPARE(merged, std::optional<SharedStateSettings>(SharedStateSettings{fileBlock(), "host:8080"}));
    }

    void redisAloneEnablesTheDefaults()
    {
        const auto merged = mergeSharedState(std::nullopt, {"redis://r:6379/3", "edge-1"}, "host:8080");
        QVERIFY(merged);
        SharedStateConfig expected;
        expected.redisUrl = "redis://r:6379/3";
        expected.redis = {"r", 6379, 3, false};
        QCOMPARE(merged->config, expected);
        QCOMPARE(merged->instance, std::string("edge-1"));
    }

    void redisReplacesTheFilesAddressAndKeepsTheRest()
    {
        const auto merged = mergeSharedState(fileBlock(), {"redis://other:7000", std::nullopt}, "host:8080");
        QVERIFY(merged);
        SharedStateConfig expected = fileBlock();
        expected.redisUrl = "redis://other:7000";
        expected.redis = {"other", 7000, 0, false};
        QCOMPARE(merged->config, expected);
        // A password in the flag's URL wins over the file's password_file.
        const auto withPassword = mergeSharedState(fileBlock(), {"redis://:pw@other:7000", std::nullopt}, "h:1");
        QVERIFY(withPassword->config.passwordFile.empty());
        QVERIFY(withPassword->config.redis.hasPassword);
    }
};

QTEST_APPLESS_MAIN(TestConfigShared)
#include "tst_config_shared.moc"
