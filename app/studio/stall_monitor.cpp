// StallMonitor: the largest gap between the ticks of a 5 ms precise timer.
#include "app/studio/stall_monitor.h"

#include <algorithm>

namespace nnc::studio {

StallMonitor::StallMonitor(QObject *parent, int intervalMs)
    : QObject(parent), m_intervalMs(std::max(1, intervalMs))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(m_intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

void StallMonitor::start()
{
    m_ticks = 0;
    m_totalMs = 0;
    m_worstGapMs = 0;
    m_over50 = 0;
    m_over100 = 0;
    m_clock.start();
    m_lastNs = 0;
    m_timer.start();
}

void StallMonitor::stop()
{
    if (m_timer.isActive())
        tick();  // a stall still in progress counts too
    m_timer.stop();
}

void StallMonitor::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    // The first gap is measured from start(): a loop blocked right after start() shows up too.
    const double gapMs = double(now - m_lastNs) / 1e6;
    m_lastNs = now;
    if (m_ticks > 0)
        m_totalMs += gapMs;
    ++m_ticks;
    m_worstGapMs = std::max(m_worstGapMs, gapMs);
    m_over50 += gapMs > 50.0;
    m_over100 += gapMs > 100.0;
}

} // namespace nnc::studio
