#include "utf8_text.h"

#include <QStringDecoder>

namespace mc::payload {

namespace {

bool isContinuation(QByteArrayView bytes, qsizetype pos, uchar low = 0x80, uchar high = 0xBF)
{
    if (pos >= bytes.size())
        return false;
    const auto c = static_cast<uchar>(bytes[pos]);
    return c >= low && c <= high;
}

} // namespace

int utf8SequenceLength(QByteArrayView bytes, qsizetype pos)
{
    const auto c = static_cast<uchar>(bytes[pos]);
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return isContinuation(bytes, pos + 1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        // E0 must not be overlong; ED must not encode a surrogate (U+D800–U+DFFF).
        const uchar low = c == 0xE0 ? 0xA0 : 0x80;
        const uchar high = c == 0xED ? 0x9F : 0xBF;
        return isContinuation(bytes, pos + 1, low, high) && isContinuation(bytes, pos + 2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        // F0 must not be overlong; F4 must stay at or below U+10FFFF.
        const uchar low = c == 0xF0 ? 0x90 : 0x80;
        const uchar high = c == 0xF4 ? 0x8F : 0xBF;
        return isContinuation(bytes, pos + 1, low, high) && isContinuation(bytes, pos + 2)
                       && isContinuation(bytes, pos + 3)
                   ? 4
                   : 0;
    }
    return 0;
}

qsizetype firstInvalidUtf8(QByteArrayView bytes)
{
    qsizetype pos = 0;
    const qsizetype size = bytes.size();
    while (pos < size) {
        if (static_cast<uchar>(bytes[pos]) < 0x80) {
            ++pos;
            continue;
        }
        const int length = utf8SequenceLength(bytes, pos);
        if (length == 0)
            return pos;
        pos += length;
    }
    return -1;
}

QString decodeUtf8(QByteArrayView bytes)
{
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    return decode(bytes);
}

} // namespace mc::payload
