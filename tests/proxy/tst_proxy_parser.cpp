// The HTTP parser's reuse of its room: heads parsed one after another on
// one parser, taken out and given back (as a connection's exchanges do),
// each have exactly their own fields, in order, whatever the lengths of
// those before them; a head taken out is untouched by the ones after it.
#include "proxy/httpparser.h"

#include <QTest>

#include <string>
#include <utility>
#include <vector>

using namespace bb::proxy;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string requestWith(const Fields &fields)
{
    std::string text = "GET /x HTTP/1.1\r\n";
    for (const auto &[name, value] : fields)
        text += name + ": " + value + "\r\n";
    return text + "\r\n";
}

HttpHead parse(HttpParser &parser, const std::string &text)
{
    const std::size_t used = parser.feed(text.data(), text.size());
    if (used != text.size() || !parser.done() || parser.error() != ParseError::None)
        qFatal("did not parse: %s", parser.errorText().c_str());
    return parser.takeHead();
}

} // namespace

class TestParser : public QObject {
    Q_OBJECT
private slots:
    void recycledHeadsLeaveNothingInTheNext()
    {
        const std::string longValue(200, 'v');
        const std::vector<Fields> messages = {
            {{"Host", "a.example"}, {"X-Long-Name-Of-A-Header", longValue}, {"Accept", "text/plain, application/json"}},
            {{"Host", "b"}, {"X-Short", "1"}},
            {{"Host", "c.example"}, {"User-Agent", "a client with a name longer than fifteen"}, {"X-A", longValue},
             {"X-B", longValue + "b"}, {"X-C", ""}, {"Cookie", std::string(300, 'c')}},
            {{"Host", "d"}},
        };
        HttpParser parser(true, 64 * 1024, 1 << 20);
        HttpHead previous;
        for (int round = 0; round < 3; ++round) {
            for (const Fields &expected : messages) {
                HttpHead head = parse(parser, requestWith(expected));
                QCOMPARE(head.fields.size(), expected.size());
                for (std::size_t i = 0; i < expected.size(); ++i) {
                    QCOMPARE(head.fields[i].first, expected[i].first);
                    QCOMPARE(head.fields[i].second, expected[i].second);
                }
                QCOMPARE(std::string(head.field("host")), expected.front().second);
                // The one before, taken out earlier, still reads as it was.
                if (!previous.fields.empty())
                    QCOMPARE(previous.fields.front().first, std::string("Host"));
                parser.reset();
                parser.recycle(std::move(previous));
                previous = std::move(head);
            }
        }
    }

    void responsesOnOneParserEachHaveTheirOwnFields()
    {
        HttpParser parser(false, 64 * 1024, 1 << 20);
        const std::string first = "HTTP/1.1 200 OK\r\nDate: Mon, 30 Nov 2026 15:00:00 GMT\r\nContent-Type: "
                                  "application/octet-stream\r\nContent-Length: 2\r\n\r\nhi";
        const std::string second = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nX-Q: q\r\n\r\n";
        for (int round = 0; round < 3; ++round) {
            QCOMPARE(parser.feed(first.data(), first.size()), first.size());
            QVERIFY(parser.done());
            QCOMPARE(parser.head().fields.size(), std::size_t(3));
            QCOMPARE(std::string(parser.head().field("content-type")), std::string("application/octet-stream"));
            QCOMPARE(parser.body(), QByteArray("hi"));
            parser.reset();
            QCOMPARE(parser.feed(second.data(), second.size()), second.size());
            QVERIFY(parser.done());
            QCOMPARE(parser.head().status, 404);
            QCOMPARE(parser.head().fields.size(), std::size_t(2));
            QCOMPARE(parser.head().fields[1].first, std::string("X-Q"));
            QCOMPARE(parser.head().fields[1].second, std::string("q"));
            QVERIFY(!parser.head().hasField("Date"));
            parser.reset();
        }
    }
};

QTEST_GUILESS_MAIN(TestParser)
#include "tst_proxy_parser.moc"
