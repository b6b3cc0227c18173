// StallMonitor: measures how long the GUI event loop goes without running, by a 5 ms precise
// timer that records the largest gap between its own ticks. A gap far above the interval means
// something blocked the loop (a stall); the Studio's goal is a worst stall under 100 ms.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace nnc::studio {

class StallMonitor final : public QObject
{
    Q_OBJECT

public:
    /// `intervalMs`: the tick period (5 ms by default); the monitor starts stopped.
    explicit StallMonitor(QObject *parent = nullptr, int intervalMs = 5);

    /// Forgets earlier figures and starts measuring (on the calling thread's event loop).
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }

    /// Largest time between two ticks, in milliseconds (>= the interval once two ticks ran).
    double worstGapMs() const { return m_worstGapMs; }
    /// Largest delay beyond the interval: the worst time the loop was blocked, in milliseconds.
    double worstStallMs() const
    {
        return m_worstGapMs > m_intervalMs ? m_worstGapMs - m_intervalMs : 0.0;
    }
    /// Mean gap between ticks in milliseconds (0 before the second tick).
    double meanGapMs() const { return m_ticks > 1 ? m_totalMs / double(m_ticks - 1) : 0.0; }
    /// Ticks seen since start().
    qint64 ticks() const { return m_ticks; }
    /// Gaps longer than 50 ms and than 100 ms since start(): how often the loop stalled
    /// noticeably, not just how badly once.
    qint64 gapsOver50Ms() const { return m_over50; }
    qint64 gapsOver100Ms() const { return m_over100; }
    int intervalMs() const { return m_intervalMs; }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    int m_intervalMs;
    qint64 m_lastNs = 0;
    qint64 m_ticks = 0;
    double m_totalMs = 0;
    double m_worstGapMs = 0;
    qint64 m_over50 = 0;
    qint64 m_over100 = 0;
};

} // namespace nnc::studio
