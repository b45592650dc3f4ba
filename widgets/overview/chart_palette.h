#pragma once

// Colours for chart series and the markers drawn over them: distinguishable on a white
// background, stable per index (a model's migration order, a queue's position).

#include <QColor>

namespace mc::widgets {

QColor seriesColor(int index);
QColor markerColor();

} // namespace mc::widgets
