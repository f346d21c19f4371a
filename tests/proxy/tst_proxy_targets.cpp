// Request targets as the proxy resolves them before routing (RFC 3986
// section 5.2.4), and transfer codings as it judges them (RFC 9112 section 6).
#include "proxy/messageframing.h"
#include "proxy/requesttarget.h"

#include <QTest>

using namespace bb::proxy;

class TestProxyTargets : public QObject {
    Q_OBJECT
private slots:
    void dotSegments_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("resolved"); // empty: refused
        QTest::newRow("plain") << QByteArray("/a/b/c") << QByteArray("/a/b/c");
        QTest::newRow("root") << QByteArray("/") << QByteArray("/");
        QTest::newRow("RFC 3986 5.2.4 example") << QByteArray("/a/b/c/./../../g") << QByteArray("/a/g");
        QTest::newRow("RFC 3986 5.2.4 mid/content") << QByteArray("/mid/content=5/../6") << QByteArray("/mid/6");
        QTest::newRow("trailing dot") << QByteArray("/a/b/.") << QByteArray("/a/b/");
        QTest::newRow("trailing dot-dot") << QByteArray("/a/b/..") << QByteArray("/a/");
        QTest::newRow("back to the root") << QByteArray("/a/..") << QByteArray("/");
        QTest::newRow("encoded dots") << QByteArray("/a/%2e/b/%2E%2e/c") << QByteArray("/a/c");
        QTest::newRow("half-encoded") << QByteArray("/a/b/.%2e/c") << QByteArray("/a/c");
        QTest::newRow("three dots are a name") << QByteArray("/a/.../b") << QByteArray("/a/.../b");
        QTest::newRow("dotted names stay") << QByteArray("/a/.hidden/..x/x..") << QByteArray("/a/.hidden/..x/x..");
        QTest::newRow("empty segments stay") << QByteArray("/a//b") << QByteArray("/a//b");
        QTest::newRow("other escapes stay") << QByteArray("/a/%41%2F") << QByteArray("/a/%41%2F");
        QTest::newRow("above the root") << QByteArray("/..") << QByteArray();
        QTest::newRow("above the root later") << QByteArray("/a/../../b") << QByteArray();
        QTest::newRow("encoded, above the root") << QByteArray("/%2e%2e/b") << QByteArray();
        QTest::newRow("behind %2f") << QByteArray("/a/..%2fb") << QByteArray();
        QTest::newRow("behind %5C") << QByteArray("/a/b%5C..") << QByteArray();
        QTest::newRow("behind a backslash") << QByteArray("/a/..\\b") << QByteArray();
        QTest::newRow("an encoded slash alone is a name") << QByteArray("/a/x%2Fy") << QByteArray("/a/x%2Fy");
    }

    void dotSegments()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, resolved);
        std::string error;
        const std::optional<std::string> out = removeDotSegments(path.toStdString(), &error);
        if (resolved.isEmpty()) {
            QVERIFY(!out);
            QVERIFY(!error.empty());
        } else {
            QVERIFY2(out, error.c_str());
            QCOMPARE(QByteArray::fromStdString(*out), resolved);
        }
    }

    void transferCodings_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<int>("status"); // 0: read as chunked
        QTest::newRow("chunked") << QByteArray("chunked") << 0;
        QTest::newRow("Chunked") << QByteArray("Chunked") << 0;
        QTest::newRow("chunked with spaces") << QByteArray(" chunked\t") << 0;
        QTest::newRow("xchunked") << QByteArray("xchunked") << 400;
        QTest::newRow("chunked, chunked") << QByteArray("chunked, chunked") << 400;
        QTest::newRow("identity;chunked") << QByteArray("identity;chunked") << 400;
        QTest::newRow("chunked;x=1") << QByteArray("chunked;x=1") << 400;
        QTest::newRow("gzip, xchunked") << QByteArray("gzip, xchunked") << 400;
        QTest::newRow("chunked, gzip") << QByteArray("chunked, gzip") << 400;
        QTest::newRow("gzip") << QByteArray("gzip") << 400;
        QTest::newRow("empty element") << QByteArray("chunked,") << 400;
        QTest::newRow("gzip, chunked") << QByteArray("gzip, chunked") << 501;
        QTest::newRow("deflate,chunked") << QByteArray("deflate,chunked") << 501;
    }

    void transferCodings()
    {
        QFETCH(QByteArray, value);
        QFETCH(int, status);
        const FramingVerdict verdict = checkTransferEncoding(value.toStdString(), false, 11);
        QCOMPARE(verdict ? 0 : statusFor(verdict.error), status);
    }

    void transferEncodingNeedsHttp11AndNoContentLength()
    {
        QVERIFY(!checkTransferEncoding("chunked", false, 10));
        QVERIFY(!checkTransferEncoding("chunked", true, 11));
        QVERIFY(checkTransferEncoding("", true, 10));
    }
};

QTEST_GUILESS_MAIN(TestProxyTargets)
#include "tst_proxy_targets.moc"
