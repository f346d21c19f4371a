// The admin API's answers: one request in, one response out, over the
// control service. Knows nothing of sockets, so every endpoint can be tried
// directly; AdminServer carries it over HTTP.
#pragma once

#include "controlservice.h"

#include <QByteArray>
#include <QString>

#include <QJsonObject>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bb::control {

struct AdminRequest {
    std::string method;
    std::string target;        // origin-form: path and query
    std::string authorization; // the Authorization field
    QByteArray body;
    QString peer;              // the client's address
};

struct AdminResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
    bool eventStream = false; // GET /api/v1/events: the connection stays open
    double streamRate = 1.0;  // its snapshots a second (?rate=, 0.1 to 10)
};

struct AdminAccess {
    QByteArray token;          // Bearer token for POST and PATCH
    bool tokenForReads = false; // also for GET (an admin API off loopback)
};

class AdminRouter {
public:
    // metrics: the /metrics exposition text.
    AdminRouter(ControlService &control, AdminAccess access, std::function<std::string()> metrics);

    AdminResponse handle(const AdminRequest &request) const;

private:
    AdminResponse route(const AdminRequest &request, const QStringList &path, const QString &query) const;
    AdminResponse list(TargetKind kind) const;
    AdminResponse one(TargetKind kind, const std::string &name) const;
    // The breaker or group with its recent transitions, as GET gives it.
    std::optional<QJsonObject> described(TargetKind kind, const std::string &name) const;
    AdminResponse changeState(TargetKind kind, const std::string &name, const AdminRequest &request) const;
    AdminResponse editPolicy(const std::string &name, const AdminRequest &request) const;
    AdminResponse history(bool audit, const QString &query) const;
    // GET /api/v1/instance: with the shared-state link when there is one.
    QJsonObject instanceWithLink() const;
    // GET, POST {"file": NAME} and DELETE /api/v1/recording.
    AdminResponse recording(const AdminRequest &request) const;
    bool authorized(const AdminRequest &request) const;

    ControlService &m_control;
    AdminAccess m_access;
    std::function<std::string()> m_metrics;
};

// A JSON response: {"error": message} with the status, plus per-field errors.
AdminResponse errorResponse(int status, const QString &message, const std::vector<FieldError> &fields = {});
AdminResponse jsonResponse(int status, const QJsonObject &o);
// The body as a JSON object, or the 400 that says why it is not one.
std::optional<QJsonObject> objectBody(const QByteArray &body, AdminResponse &error);

} // namespace bb::control
