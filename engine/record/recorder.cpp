#include "recorder.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace bb::record {

namespace {
constexpr std::size_t kLaneReserve = 256 * 1024;

bool writeAll(int fd, const std::string &data, std::string *error)
{
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *error = std::strerror(errno);
            return false;
        }
        done += std::size_t(n);
    }
    return true;
}
} // namespace

void Recorder::Lane::append(const RequestLine &line)
{
    std::lock_guard lock(m_mutex);
    appendRequestLine(m_buffer, line);
    ++m_lines;
    if (m_buffer.size() < kLaneWriteSize || m_closed)
        return;
    // Written here rather than by the writer thread: under load no third
    // thread wakes to take a share of the workers' cores.
    m_recorder.write(m_buffer, std::exchange(m_lines, 0));
    m_buffer.clear();
}

std::unique_ptr<Recorder> Recorder::open(const std::string &path, const RecordingHeader &header, TimePoint start,
                                         std::size_t lanes, std::string *error)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_APPEND, 0644);
    if (fd < 0) {
        *error = path + ": cannot write the recording (" + std::strerror(errno) + ")";
        return nullptr;
    }
    RecordingHeader stamped = header;
    stamped.startEngineNs = start.time_since_epoch().count();
    std::string why;
    if (!writeAll(fd, headerLine(stamped), &why)) {
        ::close(fd);
        *error = path + ": cannot write the recording (" + why + ")";
        return nullptr;
    }
    return std::unique_ptr<Recorder>(new Recorder(fd, path, std::max<std::size_t>(1, lanes), start));
}

Recorder::Recorder(int fd, std::string path, std::size_t lanes, TimePoint start)
    : m_fd(fd), m_path(std::move(path)), m_start(start)
{
    for (std::size_t i = 0; i < lanes; ++i) {
        m_lanes.push_back(std::unique_ptr<Lane>(new Lane(*this)));
        m_lanes.back()->m_buffer.reserve(kLaneReserve);
    }
    m_spare.reserve(kLaneReserve);
    m_thread = std::thread([this] { run(); });
}

Recorder::~Recorder() { finish(); }

void Recorder::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    for (const auto &lane : m_lanes) {
        std::lock_guard lock(lane->m_mutex);
        lane->m_closed = true;
    }
    flushLanes();
    ::close(m_fd);
}

std::string Recorder::writeError() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void Recorder::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, kFlushInterval, [this] { return m_stopping; });
        lock.unlock();
        flushLanes();
        lock.lock();
    }
}

void Recorder::flushLanes()
{
    for (const auto &lane : m_lanes) {
        std::uint64_t lines = 0;
        {
            // Swap, not copy: the lane keeps a reserved buffer and the
            // worker waits only for the swap.
            std::lock_guard lock(lane->m_mutex);
            if (lane->m_buffer.empty())
                continue;
            std::swap(lane->m_buffer, m_spare);
            lines = std::exchange(lane->m_lines, 0);
        }
        write(m_spare, lines);
        m_spare.clear();
    }
}

void Recorder::write(const std::string &lines, std::uint64_t count)
{
    std::string why;
    if (writeAll(m_fd, lines, &why)) {
        m_written += count;
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_error.empty())
        m_error = m_path + ": " + why;
}

} // namespace bb::record
