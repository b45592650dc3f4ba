#include "payload_search.h"

namespace mc::payload {

namespace {

bool cancelled(const std::atomic_bool *cancel, qsizetype found)
{
    return cancel && (found & 0x3FF) == 0 && cancel->load(std::memory_order_relaxed);
}

} // namespace

std::vector<SearchMatch> findAllInText(QStringView text, QStringView needle,
                                       Qt::CaseSensitivity cs, qsizetype limit,
                                       const std::atomic_bool *cancel)
{
    std::vector<SearchMatch> matches;
    if (needle.isEmpty())
        return matches;
    qsizetype from = 0;
    while (qsizetype(matches.size()) < limit) {
        const qsizetype at = text.indexOf(needle, from, cs);
        if (at < 0 || cancelled(cancel, qsizetype(matches.size())))
            break;
        matches.push_back({at, needle.size()});
        from = at + needle.size();
    }
    return matches;
}

std::vector<SearchMatch> findAllInBytes(QByteArrayView bytes, QByteArrayView needle,
                                        Qt::CaseSensitivity cs, qsizetype limit,
                                        const std::atomic_bool *cancel)
{
    std::vector<SearchMatch> matches;
    if (needle.isEmpty())
        return matches;
    QByteArray folded;
    QByteArray foldedNeedle;
    if (cs == Qt::CaseInsensitive) {
        folded = bytes.toByteArray().toLower(); // ASCII letters only
        foldedNeedle = needle.toByteArray().toLower();
        bytes = folded;
        needle = foldedNeedle;
    }
    qsizetype from = 0;
    while (qsizetype(matches.size()) < limit) {
        const qsizetype at = bytes.indexOf(needle, from);
        if (at < 0 || cancelled(cancel, qsizetype(matches.size())))
            break;
        matches.push_back({at, needle.size()});
        from = at + needle.size();
    }
    return matches;
}

qsizetype findNext(QStringView text, QStringView needle, qsizetype from, Qt::CaseSensitivity cs)
{
    if (needle.isEmpty() || from > text.size())
        return -1;
    return text.indexOf(needle, qMax<qsizetype>(0, from), cs);
}

qsizetype findPrevious(QStringView text, QStringView needle, qsizetype from,
                       Qt::CaseSensitivity cs)
{
    if (needle.isEmpty() || from <= 0)
        return -1;
    // lastIndexOf(from) finds a match starting at or before `from`; we want one before it.
    return text.lastIndexOf(needle, qMin(from, text.size()) - 1, cs);
}

qsizetype stepMatch(qsizetype count, qsizetype current, bool forward)
{
    if (count <= 0)
        return -1;
    if (current < 0)
        return forward ? 0 : count - 1;
    return forward ? (current + 1) % count : (current - 1 + count) % count;
}

} // namespace mc::payload
