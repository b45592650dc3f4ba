#include "payload_palette.h"

namespace mc::widgets {

using payload::SpanKind;

SpanColors spanColors(SpanKind kind, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    auto fg = [dark](QRgb light, QRgb onDark) { return SpanColors{QColor(dark ? onDark : light), {}}; };
    switch (kind) {
    case SpanKind::Punctuation: return fg(0x5f6368, 0x9aa0a6);
    case SpanKind::Key: return fg(0x174ea6, 0x8ab4f8);
    case SpanKind::String: return fg(0x137333, 0x81c995);
    case SpanKind::Number: return fg(0xb06000, 0xfdd663);
    case SpanKind::Literal: return fg(0x8430ce, 0xd7aefb);
    case SpanKind::Offset: return fg(0x80868b, 0x9aa0a6);
    case SpanKind::Control: return fg(0x9aa0a6, 0x80868b);
    case SpanKind::AfterError: return fg(0x9aa0a6, 0x80868b);
    case SpanKind::Error: return {Qt::white, QColor(0xd93025), true};
    case SpanKind::Match: return {{}, dark ? QColor(0x6b5b00) : QColor(0xffe87c)};
    case SpanKind::CurrentMatch: return {Qt::black, QColor(0xff9632)};
    }
    return {};
}

} // namespace mc::widgets
