#pragma once

// The row of KPI tiles at the top of the overview.

#include "overview_kpis.h"

#include <QWidget>

namespace mc::widgets {

class KpiTile;

class KpiStrip : public QWidget
{
    Q_OBJECT

public:
    explicit KpiStrip(QWidget *parent = nullptr);

    void showKpis(const OverviewKpis &kpis);
    void showNothing(); // no snapshot yet

    // Object names: kpi_requested, kpi_pending, kpi_in_progress, kpi_completed, kpi_failed,
    // kpi_rate, kpi_eta, kpi_duration.
    KpiTile *tile(const QString &objectName) const;

    static QString durationText(qint64 seconds); // "2 h 05 m", "14 m", "4 m 10 s", "35 s"

private:
    QList<KpiTile *> m_tiles;
};

} // namespace mc::widgets
