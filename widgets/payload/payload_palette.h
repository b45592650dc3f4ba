#pragma once

// The colours of a payload's parts (keys, strings, numbers, the error, matches), one table for
// the text pane and the tree, with variants for a light and a dark palette.

#include "text_span.h"

#include <QColor>
#include <QPalette>

namespace mc::widgets {

struct SpanColors
{
    QColor foreground; // invalid: the text colour
    QColor background; // invalid: none
    bool bold = false;
};

SpanColors spanColors(payload::SpanKind kind, const QPalette &palette);

} // namespace mc::widgets
