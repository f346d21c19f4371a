#include "proxyrecording.h"

#include <QDir>
#include <QRegularExpression>

namespace bb::control {

ProxyRecording::ProxyRecording(proxy::ProxyServer &server, QString directory, record::RecordingHeader header,
                               std::function<std::string()> policyEdits)
    : m_server(server), m_directory(std::move(directory)), m_header(std::move(header)),
      m_policyEdits(std::move(policyEdits))
{
}

bool ProxyRecording::start(const QString &path, QString *error)
{
    record::RecordingHeader header = m_header;
    header.startWallMs = 0; // the server stamps it
    if (m_policyEdits)
        header.policyEdits = m_policyEdits();
    return m_server.startRecording(path.toStdString(), header, error);
}

bool ProxyRecording::startNamed(const QString &fileName, QString *error)
{
    static const QRegularExpression kPlainName(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$"));
    if (!kPlainName.match(fileName).hasMatch()) {
        *error = QStringLiteral("the file must be a plain name of letters, digits, '.', '_' and '-' (at most 100), "
                                "such as incident.jsonl; it is written into %1")
                     .arg(m_directory);
        return false;
    }
    if (!QDir().mkpath(m_directory)) {
        *error = QStringLiteral("%1: cannot create the recordings directory").arg(m_directory);
        return false;
    }
    return start(QDir(m_directory).filePath(fileName), error);
}

} // namespace bb::control
