#include "proxyserver.h"

#include "descriptorsocket.h"
#include "epolldispatcher.h"
#include "proxyworker.h"

#include "record/recorder.h"

#include <QThread>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bb::proxy {

namespace {
// A listening socket that other workers can bind to the same port too.
int listenReusePort(const QHostAddress &address, quint16 port, QString *error)
{
    const bool v6 = address.protocol() == QAbstractSocket::IPv6Protocol;
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    sockaddr_storage storage{};
    const socklen_t length = socketAddress(address, port, &storage);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&storage), length) != 0 || ::listen(fd, 1024) != 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return -1;
    }
    return fd;
}

quint16 boundPort(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length);
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
}
} // namespace

ProxyServer::ProxyServer(Engine &engine, std::shared_ptr<const RouteTable> routes, ProxyOptions options)
    : m_engine(engine), m_routes(std::move(routes)), m_options(std::move(options))
{
}

ProxyServer::~ProxyServer() { stop(std::chrono::milliseconds(0)); }

void ProxyServer::setTls(const QSslConfiguration &tls)
{
    if (!m_options.tls)
        return;
    QString why;
    auto shared = TlsServerContext::make(tls, &why);
    if (!shared) {
        qWarning("the proxy keeps its TLS certificate: OpenSSL refuses the new one: %s", qPrintable(why));
        return;
    }
    m_options.tls = tls;
    for (ProxyWorker *w : m_workers)
        QMetaObject::invokeMethod(w, [w, shared] { w->setTls(shared); }, Qt::QueuedConnection);
}

QString ProxyServer::address() const
{
    const QString host = m_options.address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + m_options.address.toString() + QLatin1Char(']')
                             : m_options.address.toString();
    return host + QLatin1Char(':') + QString::number(m_port);
}

bool ProxyServer::start(QString *error)
{
    const int count = m_options.workers > 0 ? m_options.workers : std::max(1, QThread::idealThreadCount());
    std::vector<int> descriptors;
    quint16 port = m_options.port;
    for (int i = 0; i < count; ++i) {
        QString why;
        const int fd = listenReusePort(m_options.address, port, &why);
        if (fd < 0) {
            for (int d : descriptors)
                ::close(d);
            if (error)
                *error = QStringLiteral("%1:%2: %3").arg(m_options.address.toString()).arg(port).arg(why);
            return false;
        }
        port = boundPort(fd);
        descriptors.push_back(fd);
    }
    std::shared_ptr<const TlsServerContext> tls;
    if (m_options.tls) {
        QString why;
        tls = TlsServerContext::make(*m_options.tls, &why);
        if (!tls) {
            for (int d : descriptors)
                ::close(d);
            if (error)
                *error = QStringLiteral("TLS: %1").arg(why);
            return false;
        }
    }
    m_port = port;
    for (std::size_t i = 0; i < descriptors.size(); ++i) {
        auto *thread = new QThread;
        thread->setEventDispatcher(new EpollDispatcher);
        auto *worker = new ProxyWorker(m_engine, m_routes, m_options.limits, m_counters, m_options.hostLookup);
        worker->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        thread->setObjectName(QStringLiteral("proxy-worker-%1").arg(i));
        worker->setTls(tls); // before its thread runs
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        ProxyWorker *worker = m_workers[i];
        std::vector<ProxyWorker *> peers = m_workers;
        peers.erase(peers.begin() + std::ptrdiff_t(i));
        worker->setPeers(std::move(peers)); // before its thread runs
        m_threads[i]->start();
        const int fd = descriptors[i];
        QMetaObject::invokeMethod(worker, [worker, fd] { worker->listenOn(fd); }, Qt::QueuedConnection);
    }
    return true;
}

void ProxyServer::setWorkerRecorders(record::Recorder *recorder)
{
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        ProxyWorker *w = m_workers[i];
        record::Recorder::Lane *lane = recorder ? &recorder->lane(i) : nullptr;
        const TimePoint start = recorder ? recorder->start() : TimePoint{};
        QMetaObject::invokeMethod(w, [w, lane, start] { w->setRecorder(lane, start); }, Qt::BlockingQueuedConnection);
    }
}

bool ProxyServer::startRecording(const std::string &path, record::RecordingHeader header, QString *error)
{
    std::lock_guard lock(m_recordingMutex);
    if (m_workers.empty()) {
        *error = QStringLiteral("the proxy is not running");
        return false;
    }
    const TimePoint start = m_engine.clock().now();
    if (header.startWallMs == 0)
        header.startWallMs = m_engine.clock().wallMs(start);
    std::string why;
    auto recorder = record::Recorder::open(path, header, start, m_workers.size(), &why);
    if (!recorder) {
        *error = QString::fromStdString(why);
        return false;
    }
    if (m_recorder) {
        setWorkerRecorders(nullptr);
        m_recorder.reset();
    }
    m_recorder = std::move(recorder);
    m_recordingWallMs = header.startWallMs;
    setWorkerRecorders(m_recorder.get());
    return true;
}

std::optional<ProxyServer::RecordingStatus> ProxyServer::stopRecording()
{
    std::lock_guard lock(m_recordingMutex);
    if (!m_recorder)
        return std::nullopt;
    setWorkerRecorders(nullptr);
    m_recorder->finish(); // the last lines are written here
    const RecordingStatus status{m_recorder->path(), m_recorder->linesWritten(), m_recordingWallMs,
                                m_recorder->writeError()};
    m_recorder.reset();
    return status;
}

std::optional<ProxyServer::RecordingStatus> ProxyServer::recording() const
{
    std::lock_guard lock(m_recordingMutex);
    if (!m_recorder)
        return std::nullopt;
    return RecordingStatus{m_recorder->path(), m_recorder->linesWritten(), m_recordingWallMs, m_recorder->writeError()};
}

std::vector<int> ProxyServer::connectionsPerWorker() const
{
    std::vector<int> counts;
    for (const ProxyWorker *w : m_workers)
        counts.push_back(w->connectionCount());
    return counts;
}

void ProxyServer::stop(std::chrono::milliseconds grace)
{
    if (m_workers.empty())
        return;
    for (ProxyWorker *w : m_workers)
        QMetaObject::invokeMethod(w, &ProxyWorker::stopAccepting, Qt::BlockingQueuedConnection);
    for (ProxyWorker *w : m_workers)
        QMetaObject::invokeMethod(w, &ProxyWorker::drainConnections, Qt::BlockingQueuedConnection);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    auto busy = [this] {
        int n = 0;
        for (ProxyWorker *w : m_workers)
            n += w->activeExchanges();
        return n;
    };
    while (busy() > 0 && std::chrono::steady_clock::now() < deadline)
        QThread::msleep(10);
    stopRecording();
    for (QThread *t : m_threads) {
        t->quit();
        t->wait();
        delete t;
    }
    m_threads.clear();
    m_workers.clear();
}

} // namespace bb::proxy
