#pragma once

// A plan's failure rate over time (its samples: failed of finished among the users it touched)
// against its halt threshold, as a dashed line; a halted plan's last point is where it tripped.

#include "plans.h"

#include <QWidget>

class QCustomPlot;
class QLabel;

namespace mc::widgets {

class PlanChart : public QWidget
{
    Q_OBJECT

public:
    explicit PlanChart(QWidget *parent = nullptr);

    void setPlan(const Plan &plan); // its samples and threshold; replots
    void clear();
    int pointCount() const; // for tests

private:
    QCustomPlot *m_plot;
    QLabel *m_caption;
};

} // namespace mc::widgets
