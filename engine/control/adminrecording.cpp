// /api/v1/recording: whether the proxy's traffic is being recorded, and
// starting (POST {"file": "incident.jsonl"}) or stopping (DELETE) it.
#include "adminrouter.h"

#include <QJsonObject>

namespace bb::control {

namespace {
QJsonObject statusJson(const std::optional<ProxyRecording::Status> &status, bool active)
{
    QJsonObject o{{"recording", active}};
    if (status) {
        o.insert("path", QString::fromStdString(status->path));
        o.insert("lines", double(status->lines));
        o.insert("start_wall_ms", double(status->startWallMs));
        if (!status->error.empty())
            o.insert("write_error", QString::fromStdString(status->error));
    }
    return o;
}
} // namespace

AdminResponse AdminRouter::recording(const AdminRequest &request) const
{
    ProxyRecording *recording = m_control.recording();
    const std::string &m = request.method;
    if (m != "GET" && m != "HEAD" && m != "POST" && m != "DELETE") {
        AdminResponse r = errorResponse(405, QStringLiteral("method not allowed here; allowed: GET, HEAD, POST, DELETE"));
        r.headers.push_back({"Allow", "GET, HEAD, POST, DELETE"});
        return r;
    }
    if (!recording)
        return errorResponse(409, QStringLiteral("no proxy runs here, so there is no traffic to record"));
    if (m == "GET" || m == "HEAD") {
        const auto status = recording->status();
        QJsonObject o = statusJson(status, status.has_value());
        o.insert("directory", recording->directory());
        return jsonResponse(200, o);
    }
    if (m == "DELETE") {
        const auto stopped = recording->stop();
        if (!stopped)
            return errorResponse(409, QStringLiteral("no recording runs"));
        return jsonResponse(200, statusJson(stopped, false));
    }
    AdminResponse bad;
    const auto body = objectBody(request.body, bad);
    if (!body)
        return bad;
    const QJsonValue file = body->value(QLatin1String("file"));
    if (!file.isString())
        return errorResponse(400, QStringLiteral("say which file to write"), {{"file", "must be a string"}});
    if (recording->status())
        return errorResponse(409, QStringLiteral("a recording runs already; stop it first (DELETE /api/v1/recording)"));
    QString error;
    if (!recording->startNamed(file.toString(), &error))
        return errorResponse(400, error, {{"file", error.toStdString()}});
    return jsonResponse(201, statusJson(recording->status(), true));
}

} // namespace bb::control
