#pragma once

// What the support tests share: answering the reason dialog, reading table columns, the whole
// audit log through the store, and a strict RFC 4180 reader to parse exports back.

#include "contract_fixture.h"

#include <QAbstractItemModel>
#include <QStringList>

class QWidget;

namespace mc::widgets {
class ReasonDialog;
}

namespace mc::test {

// The reason dialog `parent` opened, once it is visible; nullptr after a timeout.
widgets::ReasonDialog *waitForReasonDialog(QWidget *parent, int timeoutMs = 5000);
// Types `reason` into the open dialog and clicks its confirming button.
bool confirmWithReason(QWidget *parent, const QString &reason);

QStringList columnTexts(const QAbstractItemModel *model, int column,
                        int role = Qt::DisplayRole);

// Every entry the query selects (its paging fields ignored), newest first.
QList<AuditEntry> allAuditEntries(MergeStore &store, AuditQuery query = {});
QList<qint64> idsOf(const QList<AuditEntry> &entries);

// A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. Fails the test
// (returns an empty list and sets *error) on anything else.
QList<QStringList> parseCsv(const QByteArray &bytes, QString *error);

// Sets an audit entry's time, so time filters can be checked without waiting.
void setAuditTime(FleetWriter &writer, qint64 id, EpochMs at);
// `count` audit entries written straight into the table, as many workers' operators would have.
void insertAuditEntries(FleetWriter &writer, int count, const QString &action,
                        const QString &osUser, EpochMs at);

} // namespace mc::test
