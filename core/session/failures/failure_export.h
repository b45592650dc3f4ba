#pragma once

// Exports the failed records a filter selects, page by page (keyset), as CSV or JSON (see
// failure_record_writer.h for the fields). Runs on the thread of the store it is given — the
// export job runs it on a StoreRunner of its own, so writing the file happens there too. Memory
// stays at one page (and the details of up to 200 records, read with one query) whatever the
// number of records.

#include "failure_record_writer.h"
#include "merge_store.h"

#include <atomic>
#include <functional>

class QIODevice;

namespace mc {

struct ExportOptions
{
    ExportFormat format = ExportFormat::Csv;
    // Full messages, backtraces and payloads: one more query per 200 records (issue 18).
    bool includeDetails = false;
    int pageSize = 1000;
};

struct ExportProgress
{
    qint64 written = 0; // records written so far
    qint64 total = 0;   // the filter's records when the export started
};

struct ExportReport
{
    qint64 written = 0;
    qint64 total = 0;
    qint64 bytes = 0;
    bool cancelled = false;
    QString path; // the file written; empty when cancelled (nothing is left behind)
};

struct ExportControl
{
    std::function<void(const ExportProgress &)> onProgress; // after each page (and every
                                                            // 100 records with details)
    const std::atomic_bool *cancel = nullptr; // checked before each page and its details

    bool cancelled() const { return cancel && cancel->load(); }
};

// Writes to an open device. On cancel it stops between records: what was written is then an
// incomplete document, which the caller discards.
Result<ExportReport> exportFailures(MergeStore &store, const FailureFilter &filter,
                                    const ExportOptions &options, QIODevice &out,
                                    const ExportControl &control);

// Writes to `path` + ".partial" and renames it to `path` (replacing a file there) once complete.
// A cancelled or failed export removes the partial file and leaves an existing `path` as it was.
Result<ExportReport> exportFailuresToFile(MergeStore &store, const FailureFilter &filter,
                                          const ExportOptions &options, const QString &path,
                                          const ExportControl &control);

QString partialPath(const QString &path);

} // namespace mc
