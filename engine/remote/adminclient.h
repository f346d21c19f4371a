// A client of one instance's admin API, over Qt's network access: the token
// and the TLS configuration put on every request, the answers classified so
// that people read one clear line for what went wrong. The command line and
// the dashboard's remote control interface are built on it.
#pragma once

#include "instance.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QObject>
#include <QSslCertificate>
#include <functional>

class QNetworkReply;

namespace bb::remote {

enum class LinkProblem {
    None,
    Unreachable,     // refused, host unknown, no answer in time, connection dropped
    TokenRefused,    // 401
    Tls,             // the handshake failed: certificate, host name, protocol
    NotBreakerboard, // GET /api/v1/instance did not answer as Breakerboard does
    VersionMismatch, // another API version
    Unsafe,          // a token would go over plain http off loopback: nothing is sent
    Http,            // any other status that is not 2xx
    LocalFile,       // the token file or the CA file cannot be used: nothing is sent
};
// A few words for a table: "unreachable", "token refused", ...
QString describe(LinkProblem problem);

struct Reply {
    int status = 0; // HTTP status, 0 when none came
    QByteArray body;
    LinkProblem problem = LinkProblem::None;
    QString message;          // one line for people, empty when ok
    bool ok() const;          // problem None and 2xx
    QJsonObject json() const; // the body as an object, empty if not one
};

class AdminClient : public QObject {
    Q_OBJECT
public:
    // Reads the token file and the CA file once, now.
    explicit AdminClient(Instance instance, QObject *parent = nullptr);
    ~AdminClient() override; // callbacks of requests still under way are not called

    const Instance &instance() const { return m_instance; }
    // Why no request will be sent, or empty: the token file unreadable or
    // empty, the CA file unreadable or without a certificate (LocalFile), or a
    // token for plain http to a host off loopback (Unsafe).
    QString problem() const { return m_problem; }
    LinkProblem problemKind() const { return m_problemKind; }
    bool hasToken() const { return !m_token.isEmpty(); }

    // done is called once, later (never from within the call), unless the
    // client is destroyed first. Each request times out after kTimeoutMs
    // without progress.
    void get(const QString &path, std::function<void(const Reply &)> done);
    void send(const QByteArray &method, const QString &path, const QJsonObject &body,
              std::function<void(const Reply &)> done);
    // GET /api/v1/instance, checked: product "breakerboard" and api 1, else
    // NotBreakerboard / VersionMismatch.
    void identify(std::function<void(const Reply &)> done);

    // A request for path (with its query) carrying the token (when there is
    // one and it may be sent) and the TLS configuration (the CA file's
    // certificates instead of the system's when a CA file is given; the peer
    // always verified). No transfer timeout: for long-lived requests such as
    // the event stream, which is quiet between events. HTTP/2 off, redirects
    // not followed (a token never goes to another address).
    QNetworkRequest request(const QString &path) const;
    QNetworkAccessManager &network() { return m_network; }

    // The answer to GET /api/v1/instance, checked as identify() does.
    static Reply identityOf(Reply answer);
    // Classifies a finished reply: status, TLS errors, refused, unreachable,
    // timed out, 401 → TokenRefused. Reads the reply's body.
    static Reply replyOf(QNetworkReply *reply);

    static constexpr int kTimeoutMs = 5000; // per request, without progress

private:
    // Reads the token and the CA file; what makes them unusable, or empty.
    QString readLocalFiles();
    void refuse(LinkProblem kind, const QString &message);
    void whenFinished(QNetworkReply *reply, std::function<void(const Reply &)> done);
    // With a problem known before sending: done gets it later, and true.
    bool refuseEarly(std::function<void(const Reply &)> &done);

    Instance m_instance;
    QByteArray m_token;
    QList<QSslCertificate> m_caCertificates;
    QString m_problem;
    LinkProblem m_problemKind = LinkProblem::None;
    QNetworkAccessManager m_network;
};

} // namespace bb::remote
