// The dashboard's control interface over one instance's admin API: what the
// window shows comes from the instance's event stream (/api/v1/events), and
// commands and queries are requests. The link first asks the instance what
// it is (GET /api/v1/instance), then listens; when the stream ends or falls
// silent for kSilenceMs it tries again after a wait that doubles from
// kFirstRetryMs up to kMaxRetryMs, with jitter, and asks to be caught up
// with Last-Event-ID. What it missed comes before a fresh snapshot; when
// the instance no longer has it (or is another run), the window hears
// replaced() and asks again for the history.
#pragma once

#include "adminclient.h"
#include "eventstream.h"
#include "instancestate.h"

#include "control/dashboardcontrol.h"
#include "control/fleetview.h"

#include <QPointer>
#include <QTimer>

#include <random>

namespace bb::remote {

class RemoteDashboardControl : public control::DashboardControl {
    Q_OBJECT
public:
    explicit RemoteDashboardControl(Instance instance, QObject *parent = nullptr);
    ~RemoteDashboardControl() override;

    const Instance &instance() const { return m_client.instance(); }
    // The link now: a reconnecting one says how long until its next try.
    control::LinkStatus link() const;
    // The last observation, while or after the link was up; null before.
    std::shared_ptr<const control::Observation> lastObservation() const { return m_state.observation(); }
    // Updates a second asked of the instance (0.1 to 10); before start().
    void setRate(double perSecond) { m_rate = perSecond; }
    void start();
    // Bytes of event stream read since the start, over every connection.
    quint64 streamBytes() const { return m_streamBytes; }

    control::Answer<control::CommandResult> changeState(control::TargetKind kind, const std::string &name,
                                               OperatorCommand command, control::Actor actor,
                                               control::Scope scope = {}) override;
    control::Answer<control::CommandResult> editPolicy(const std::string &name, const std::string &editText, WindowEdit edit,
                                              const std::string &reason, control::Actor actor,
                                              control::Scope scope = {}) override;
    // Built from the last snapshot: each breaker's policy, each group.
    control::Answer<Configuration> configuration() override;
    control::Answer<std::vector<TransitionEvent>> recentTransitions(control::TargetKind kind, const std::string &name) override;
    control::Answer<control::History> history(std::size_t limit) override;
    // A recording is written on the instance, in its recording directory,
    // under the file name of path.
    control::Answer<control::RecordingStatus> recording() override;
    control::Answer<control::RecordingStatus> startRecording(const QString &path) override;
    control::Answer<control::RecordingStatus> stopRecording() override;

    static constexpr int kSilenceMs = 1500;
    static constexpr int kFirstRetryMs = 500;
    static constexpr int kMaxRetryMs = 15000;

signals:
    void linkChanged(const bb::control::LinkStatus &status);

private:
    void connectToInstance();
    void openStream();
    void onEvent(const StreamEvent &event);
    void streamEnded();
    void lost(const Reply &why);
    void setLink(control::LinkStatus link);
    // A request whose answer, read by read(), answers a command.
    template <typename T, typename Read>
    control::Answer<T> ask(const QString &what, const QByteArray &method, const QString &path, const QJsonObject &body, Read read);

    AdminClient m_client;
    control::LinkStatus m_link;
    InstanceState m_state;
    QPointer<QNetworkReply> m_stream;
    std::unique_ptr<EventStreamParser> m_parser;
    QByteArray m_lastEventId;
    bool m_heardSnapshot = false; // on this connection
    QTimer m_retry;
    QTimer m_silence;
    QElapsedTimer m_retryClock;
    int m_failures = 0;
    quint64 m_streamBytes = 0;
    double m_rate = 10.0;
    std::mt19937 m_random;
};

} // namespace bb::remote
