#include "support_helpers.h"

#include "reason_dialog.h"
#include "sql/sql_connection.h"

#include <QApplication>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

namespace mc::test {

widgets::ReasonDialog *waitForReasonDialog(QWidget *parent, int timeoutMs)
{
    widgets::ReasonDialog *dialog = nullptr;
    (void)QTest::qWaitFor(
        [&] {
            const auto dialogs = parent->findChildren<widgets::ReasonDialog *>();
            for (widgets::ReasonDialog *candidate : dialogs)
                if (candidate->isVisible())
                    dialog = candidate;
            return dialog != nullptr;
        },
        timeoutMs);
    return dialog;
}

bool confirmWithReason(QWidget *parent, const QString &reason)
{
    widgets::ReasonDialog *dialog = waitForReasonDialog(parent);
    if (!dialog)
        return false;
    dialog->reasonEdit()->setFocus();
    QTest::keyClicks(dialog->reasonEdit(), reason);
    if (!dialog->confirmButton()->isEnabled())
        return false;
    QTest::mouseClick(dialog->confirmButton(), Qt::LeftButton);
    return true;
}

QStringList columnTexts(const QAbstractItemModel *model, int column, int role)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts << model->index(row, column).data(role).toString();
    return texts;
}

QList<AuditEntry> allAuditEntries(MergeStore &store, AuditQuery query)
{
    QList<AuditEntry> entries;
    query.beforeId.reset();
    query.limit = 500;
    for (;;) {
        auto page = store.audit(query);
        if (!page.ok())
            qFatal("audit failed: %s", qPrintable(page.error().message));
        entries.append(page->entries);
        if (!page->nextBeforeId)
            return entries;
        query.beforeId = page->nextBeforeId;
    }
}

QList<qint64> idsOf(const QList<AuditEntry> &entries)
{
    QList<qint64> ids;
    for (const AuditEntry &entry : entries)
        ids << entry.id;
    return ids;
}

QList<QStringList> parseCsv(const QByteArray &bytes, QString *error)
{
    QList<QStringList> records;
    QStringList record;
    QByteArray field;
    qsizetype i = 0;
    const qsizetype n = bytes.size();
    auto fail = [&](const QString &why) {
        *error = QStringLiteral("%1 at byte %2").arg(why).arg(i);
        return QList<QStringList>();
    };
    while (i < n) {
        field.clear();
        if (bytes[i] == '"') {
            ++i;
            for (;;) {
                if (i >= n)
                    return fail(QStringLiteral("unterminated quoted field"));
                if (bytes[i] == '"') {
                    if (i + 1 < n && bytes[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += bytes[i++];
            }
        } else {
            while (i < n && bytes[i] != ',' && bytes[i] != '\r' && bytes[i] != '\n') {
                if (bytes[i] == '"')
                    return fail(QStringLiteral("quote inside an unquoted field"));
                field += bytes[i++];
            }
        }
        record << QString::fromUtf8(field);
        if (i < n && bytes[i] == ',') {
            ++i;
            continue;
        }
        if (i + 1 < n && bytes[i] == '\r' && bytes[i + 1] == '\n') {
            i += 2;
            records << record;
            record.clear();
            continue;
        }
        return fail(QStringLiteral("a record must end with CRLF"));
    }
    if (!record.isEmpty())
        return fail(QStringLiteral("the last record has no CRLF"));
    return records;
}

void setAuditTime(FleetWriter &writer, qint64 id, EpochMs at)
{
    importAuditHistory(writer.connection()); // the log is append-only but for its owner's import
    writer.connection().exec(QStringLiteral("UPDATE audit_log SET at = {ts:$1} WHERE id = $2"),
                             {at, id});
}

void insertAuditEntries(FleetWriter &writer, int count, const QString &action,
                        const QString &osUser, EpochMs at)
{
    constexpr int kPerStatement = 100;
    importAuditHistory(writer.connection());
    for (int first = 0; first < count; first += kPerStatement) {
        QStringList rows;
        QVariantList params;
        for (int i = first; i < std::min(count, first + kPerStatement); ++i) {
            const int p = int(params.size());
            rows << QStringLiteral("({ts:$%1}, 'bulk', $%2, $%3, $%4, '{}', '{}', $%5)")
                        .arg(p + 1)
                        .arg(p + 2)
                        .arg(p + 3)
                        .arg(p + 4)
                        .arg(p + 5);
            params << at + i << osUser << action << QStringLiteral("queue:bulk-%1").arg(i)
                   << QStringLiteral("bulk entry %1, with \"quotes\" and a comma").arg(i);
        }
        writer.connection().exec(QStringLiteral("INSERT INTO audit_log (at, database_user, "
                                                "os_user, action, target, before_state, "
                                                "after_state, reason) VALUES ")
                                     + rows.join(QStringLiteral(", ")),
                                 params);
    }
}

} // namespace mc::test
