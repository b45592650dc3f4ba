#include "failure_export.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <filesystem>
#include <system_error>

namespace mc {

namespace {

// Records whose details (payload included) one query reads.
constexpr qsizetype kDetailsAtOnce = 200;

StoreError fileError(const QString &path, const QString &why)
{
    return StoreError::make(StoreError::Kind::InvalidInput,
                            QStringLiteral("Could not write %1: %2")
                                .arg(QDir::toNativeSeparators(path), why));
}

} // namespace

QString partialPath(const QString &path)
{
    return path + QStringLiteral(".partial");
}

Result<ExportReport> exportFailures(MergeStore &store, const FailureFilter &filter,
                                    const ExportOptions &options, QIODevice &out,
                                    const ExportControl &control)
{
    auto total = store.countFailures(filter);
    if (!total)
        return total.error();
    ExportReport report;
    report.total = *total;
    const auto progress = [&] {
        if (control.onProgress)
            control.onProgress({report.written, report.total});
    };
    const auto writeError = [&] {
        return StoreError::make(StoreError::Kind::InvalidInput,
                                QStringLiteral("Could not write the export: %1")
                                    .arg(out.errorString()));
    };
    const qint64 startPos = out.pos();
    const auto finish = [&](bool cancelled) {
        report.cancelled = cancelled;
        report.bytes = out.pos() - startPos;
        return report;
    };

    auto writer = FailureRecordWriter::create(options.format, options.includeDetails, out);
    if (!writer->begin())
        return writeError();
    progress();
    std::optional<FailureCursor> cursor;
    for (;;) {
        if (control.cancelled())
            return finish(true);
        auto page = store.failures(filter, cursor, options.pageSize);
        if (!page)
            return page.error();
        // With details, the page's details in one query: one round trip a page, not a record.
        QHash<qint64, FailureDetail> details;
        if (options.includeDetails) {
            if (control.cancelled())
                return finish(true);
            // In slices of kDetailsAtOnce: payloads may be large, a slice bounds the memory.
            for (qsizetype first = 0; first < page->rows.size(); first += kDetailsAtOnce) {
                QList<qint64> ids;
                for (const FailureRow &row : page->rows.mid(first, kDetailsAtOnce))
                    ids << row.id;
                auto read = store.failureDetails(ids);
                if (!read)
                    return read.error();
                for (const FailureDetail &detail : std::as_const(*read))
                    details.insert(detail.row.id, detail);
            }
        }
        for (const FailureRow &row : page->rows) {
            // A record deleted since its page was read keeps its row, without details.
            const auto detail = details.constFind(row.id);
            const bool written = writer->write(
                row, options.includeDetails && detail != details.constEnd() ? &*detail : nullptr);
            if (!written)
                return writeError();
            ++report.written;
            if (options.includeDetails && report.written % 100 == 0)
                progress();
        }
        if (!options.includeDetails || report.written % 100 != 0)
            progress();
        if (!page->next)
            break;
        cursor = page->next;
    }
    if (!writer->end())
        return writeError();
    return finish(false);
}

Result<ExportReport> exportFailuresToFile(MergeStore &store, const FailureFilter &filter,
                                          const ExportOptions &options, const QString &path,
                                          const ExportControl &control)
{
    const QString partial = partialPath(path);
    QFile file(partial);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return fileError(partial, file.errorString());

    Result<ExportReport> report = exportFailures(store, filter, options, file, control);
    const bool flushed = file.flush();
    const QString flushError = file.errorString();
    file.close();
    if (!report || report->cancelled || !flushed) {
        file.remove();
        if (report && !report->cancelled && !flushed)
            return fileError(partial, flushError);
        return report;
    }
    // Payloads leave the database only with an audit entry (who, the filter in words, how many);
    // a login that may not write one gets no file.
    if (options.includeDetails) {
        const Result<Done> audited = store.auditExport(
            {filter.describe(), report->written, options.format == ExportFormat::Csv
                                                     ? QStringLiteral("csv")
                                                     : QStringLiteral("json"),
             Operator::fromEnvironment()});
        if (!audited) {
            file.remove();
            return audited.error();
        }
    }
    // Replaces an existing file in one step (QFile::rename refuses to replace).
    std::error_code error;
    std::filesystem::rename(QFileInfo(partial).filesystemAbsoluteFilePath(),
                            QFileInfo(path).filesystemAbsoluteFilePath(), error);
    if (error) {
        file.remove();
        return fileError(path, QString::fromStdString(error.message()));
    }
    report->path = path;
    return report;
}

} // namespace mc
