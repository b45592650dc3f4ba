#include "kpi_strip.h"

#include "kpi_tile.h"

#include <QHBoxLayout>
#include <QLocale>

namespace mc::widgets {

namespace {

QString number(qint64 value)
{
    return QLocale().toString(value);
}

QString share(qint64 part, qint64 whole)
{
    if (whole <= 0)
        return {};
    return KpiStrip::tr("%1 % of requested")
        .arg(QLocale().toString(100.0 * double(part) / double(whole), 'f', 1));
}

} // namespace

KpiStrip::KpiStrip(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    const std::pair<const char *, QString> tiles[] = {
        {"kpi_requested", tr("Users requested")}, {"kpi_pending", tr("Pending")},
        {"kpi_in_progress", tr("In progress")},   {"kpi_completed", tr("Completed")},
        {"kpi_failed", tr("Failed")},             {"kpi_rate", tr("Completed per minute")},
        {"kpi_eta", tr("ETA")},                   {"kpi_duration", tr("Migration time")}};
    for (const auto &[name, title] : tiles) {
        auto *tile = new KpiTile(QString::fromLatin1(name), title, this);
        layout->addWidget(tile, 1);
        m_tiles << tile;
    }
    tile(QStringLiteral("kpi_completed"))->setAccent(QColor(0x59a14f));
    tile(QStringLiteral("kpi_failed"))->setAccent(QColor(0xe15759));
    tile(QStringLiteral("kpi_in_progress"))->setAccent(QColor(0x4e79a7));
    tile(QStringLiteral("kpi_rate"))->setToolTip(
        tr("Users completed in the last complete minute of throughput samples"));
    tile(QStringLiteral("kpi_eta"))->setToolTip(
        tr("Time to drain the backlog (pending + in progress) at the current rate"));
    tile(QStringLiteral("kpi_duration"))->setToolTip(
        tr("How long single users took from start to completion: p50 / p95 / p99 of the users "
           "completed in the chart's time range (refreshed every 30 s)"));
    showNothing();
}

KpiTile *KpiStrip::tile(const QString &objectName) const
{
    for (KpiTile *tile : m_tiles)
        if (tile->objectName() == objectName)
            return tile;
    return nullptr;
}

void KpiStrip::showNothing()
{
    for (KpiTile *tile : std::as_const(m_tiles))
        tile->setValue(QStringLiteral("—"), QStringLiteral(" "));
}

QString KpiStrip::durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 600)
        return tr("%1 m %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 3600) // beyond ten minutes, seconds are noise
        return tr("%1 m").arg((seconds + 30) / 60);
    if (seconds < 48 * 3600)
        return tr("%1 h %2 m").arg(seconds / 3600).arg(seconds % 3600 / 60, 2, 10,
                                                       QLatin1Char('0'));
    return tr("%1 d %2 h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

void KpiStrip::showKpis(const OverviewKpis &k)
{
    tile(QStringLiteral("kpi_requested"))
        ->setValue(number(k.requested), tr("%1 not started").arg(number(k.notStarted)));
    tile(QStringLiteral("kpi_pending"))->setValue(number(k.pending), share(k.pending, k.requested));
    tile(QStringLiteral("kpi_in_progress"))
        ->setValue(number(k.inProgress), share(k.inProgress, k.requested));
    tile(QStringLiteral("kpi_completed"))
        ->setValue(number(k.completed), share(k.completed, k.requested));
    tile(QStringLiteral("kpi_failed"))
        ->setValue(number(k.failed),
                   k.failureRate ? tr("%1 % of finished")
                                       .arg(QLocale().toString(*k.failureRate * 100.0, 'f', 1))
                                 : tr("none finished yet"));
    tile(QStringLiteral("kpi_rate"))
        ->setValue(QLocale().toString(k.completedPerMinute, 'f', 1), tr("users per minute"));
    KpiTile *eta = tile(QStringLiteral("kpi_eta"));
    if (!k.etaSeconds)
        eta->setValue(QStringLiteral("—"), tr("nothing completes now"));
    else if (*k.etaSeconds == 0)
        eta->setValue(tr("done"), tr("no backlog"));
    else
        eta->setValue(durationText(*k.etaSeconds),
                      tr("for %1 users in backlog").arg(number(k.backlog)));
    auto ms = [](const std::optional<qint64> &value) {
        if (!value)
            return QStringLiteral("—");
        if (*value < 10'000) // short runs: a tenth of a second tells them apart
            return tr("%1 s").arg(QLocale().toString(double(*value) / 1000.0, 'f', 1));
        return durationText((*value + 500) / 1000);
    };
    tile(QStringLiteral("kpi_duration"))
        ->setValue(QStringLiteral("%1 / %2 / %3").arg(ms(k.p50Ms), ms(k.p95Ms), ms(k.p99Ms)),
                   k.timedUsers > 0 ? tr("p50 / p95 / p99 of %1 users").arg(number(k.timedUsers))
                                    : tr("p50 / p95 / p99: none completed in range"));
}

} // namespace mc::widgets
