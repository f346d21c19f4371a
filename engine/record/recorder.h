// Writes a recording while the proxy runs. Each proxy worker appends to its
// own lane (a buffer behind a lock that only this writer's hand-over ever
// contends). A lane that passes kLaneWriteSize is appended to the file by
// its worker, in one write; a writer thread takes what the lanes hold every
// 10 ms. Whole lines only, and short writes: a long one holds a core the
// workers share for longer, and their tail latency with it. Lines of
// different lanes (and of one lane across such a hand-over) reach the file
// out of arrival order; readers sort. A crash (kill -9) loses at most the
// last 10 ms of completed requests plus the one write under way, which can
// leave a line cut off: readers stop before it with a warning.
#pragma once

#include "jsonline.h"

#include "core/clock.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bb::record {

class Recorder {
public:
    static constexpr std::chrono::milliseconds kFlushInterval{10};
    static constexpr std::size_t kLaneWriteSize = 16 * 1024;

    class Lane {
    public:
        void append(const RequestLine &line);

    private:
        friend class Recorder;
        explicit Lane(Recorder &recorder) : m_recorder(recorder) {}
        Recorder &m_recorder;
        std::mutex m_mutex;
        std::string m_buffer;
        std::uint64_t m_lines = 0;
        bool m_closed = false; // the file is finished: nothing more is written
    };

    // Creates (or truncates) path and writes the header, with start (the
    // engine's clock when the recording begins) as start_engine_ns; nullptr
    // and the reason when the file cannot be written.
    static std::unique_ptr<Recorder> open(const std::string &path, const RecordingHeader &header, TimePoint start,
                                          std::size_t lanes, std::string *error);
    ~Recorder(); // finish()es
    // Writes what is left and closes the file; appending after it is an error.
    void finish();
    Recorder(const Recorder &) = delete;
    Recorder &operator=(const Recorder &) = delete;

    Lane &lane(std::size_t i) { return *m_lanes[i]; }
    // Arrival times in the file count from here (the engine's clock).
    TimePoint start() const { return m_start; }
    const std::string &path() const { return m_path; }
    // Lines written to the file so far, and the first write error if any.
    std::uint64_t linesWritten() const { return m_written.load(); }
    std::string writeError() const;

private:
    Recorder(int fd, std::string path, std::size_t lanes, TimePoint start);
    void run();
    void flushLanes();
    // Appends whole lines to the file and counts them, or keeps the error.
    void write(const std::string &lines, std::uint64_t count);

    int m_fd;
    std::string m_path;
    TimePoint m_start;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::atomic<std::uint64_t> m_written{0};
    mutable std::mutex m_mutex; // m_stopping, m_error
    std::condition_variable m_wake;
    bool m_stopping = false;
    bool m_finished = false;
    std::string m_error;
    std::string m_spare; // the writer's buffer, swapped with a lane's
    std::thread m_thread;
};

} // namespace bb::record
