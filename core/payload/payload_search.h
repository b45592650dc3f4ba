#pragma once

// Literal search inside a payload: every occurrence (not overlapping), and the next or previous
// one from a position. Plain functions over the text or the bytes, usable on any thread.

#include "text_span.h"

#include <QByteArrayView>
#include <QString>

#include <atomic>
#include <vector>

namespace mc::payload {

// At most `limit` matches; an empty needle matches nothing. A set `cancel` stops early.
std::vector<SearchMatch> findAllInText(QStringView text, QStringView needle,
                                       Qt::CaseSensitivity cs, qsizetype limit,
                                       const std::atomic_bool *cancel = nullptr);
// Bytes: case-insensitive compares ASCII letters only.
std::vector<SearchMatch> findAllInBytes(QByteArrayView bytes, QByteArrayView needle,
                                        Qt::CaseSensitivity cs, qsizetype limit,
                                        const std::atomic_bool *cancel = nullptr);

// The first occurrence at or after `from`, or the last one starting before `from`; -1 for none.
qsizetype findNext(QStringView text, QStringView needle, qsizetype from, Qt::CaseSensitivity cs);
qsizetype findPrevious(QStringView text, QStringView needle, qsizetype from,
                       Qt::CaseSensitivity cs);

// The match to go to from `current` (an index, -1 for none yet): the next one, wrapping around,
// or the previous one. -1 when there are no matches.
qsizetype stepMatch(qsizetype count, qsizetype current, bool forward);

} // namespace mc::payload
