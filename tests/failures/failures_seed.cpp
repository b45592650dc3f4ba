#include "failures_seed.h"

#include "sql/sql_connection.h"

#include <QRandomGenerator>

#include <algorithm>

namespace mc::test {

namespace {

struct ErrorKind
{
    QString errorClass;
    QString messageTemplate; // %1: a number, %2: another
};

const QList<ErrorKind> &errorKinds()
{
    static const QList<ErrorKind> kinds{
        {QStringLiteral("ActiveRecord::RecordInvalid"),
         QStringLiteral("Validation failed: Price must be less than %1 (item %2)")},
        {QStringLiteral("Net::ReadTimeout"),
         QStringLiteral("Net::ReadTimeout with #<TCPSocket:(closed)> after %1 s")},
        {QStringLiteral("KeyError"), QStringLiteral("key not found: \"field_%1\"")},
        {QStringLiteral("PG::UniqueViolation"),
         QStringLiteral("ERROR:  duplicate key value violates unique constraint "
                        "\"index_items_on_uid\"\nDETAIL:  Key (uid)=(%1) already exists.")},
        {QStringLiteral("timeout"), QStringLiteral("upstream timeout after %1 ms")},
    };
    return kinds;
}

} // namespace

FailureSeed seedFailures(FleetWriter &writer, int count, const QStringList &naughty)
{
    FailureSeed seed;
    seed.usersPerPortal = 150;
    for (const ErrorKind &kind : errorKinds())
        seed.errorClasses << kind.errorClass;
    seedCatalogue(writer);
    writer.addModel({4, QStringLiteral("liked_items"), 4, QString(), QStringLiteral("likes"), {},
                     QStringLiteral("low")});
    addUsers(writer, QStringLiteral("lt"), 1, seed.usersPerPortal, UserStatus::Failed);
    addUsers(writer, QStringLiteral("de"), 1, seed.usersPerPortal, UserStatus::Failed);

    QRandomGenerator random(20251124);
    sql::Connection &c = writer.connection();
    c.begin();
    for (int i = 0; i < count; ++i) {
        const ErrorKind &kind = errorKinds()[random.bounded(int(errorKinds().size()))];
        NewFailure f;
        f.user = {random.bounded(3) == 0 ? QStringLiteral("de") : QStringLiteral("lt"),
                  1 + random.bounded(seed.usersPerPortal)};
        f.modelId = 1 + random.bounded(4);
        f.recordId = QString::number(100'000 + i);
        f.phase = i % 5 == 0 ? QStringLiteral("serialize") : QStringLiteral("create");
        f.errorClass = kind.errorClass;
        if (i % 7 == 3 && !naughty.isEmpty()) // carry one naughty line, literally
            f.message = QStringLiteral("Bad value ‹%1› in field title")
                            .arg(naughty[(i / 7) % naughty.size()]);
        else
            f.message = QString(kind.messageTemplate)
                            .replace(QLatin1String("%2"), QString::number(i))
                            .replace(QLatin1String("%1"), QString::number(random.bounded(1000)));
        f.backtrace = QStringLiteral("app/models/item.rb:%1:in `validate'\n"
                                     "app/jobs/create_job.rb:42:in `perform'\n"
                                     "lib/merge/runner.rb:7:in `block in run'")
                          .arg(10 + i % 90);
        f.payload = QStringLiteral("{\"id\": %1, \"title\": \"item %1\", \"price\": %2}")
                        .arg(i)
                        .arg(random.bounded(10'000))
                        .toUtf8();
        f.attempt = 1 + i % 3;
        f.failedAt = kT0 - qint64(i / 2) * 60'000; // pairs share a time: ties on failed_at
        SeededFailure written{0, f, QString()};
        written.id = writer.addFailure(f);
        if (i % 23 == 11) {
            c.exec(QStringLiteral("UPDATE failed_records SET resolution = 'ignored', resolved_by "
                                  "= 'seed' WHERE id = $1"),
                   {written.id});
            written.resolution = QStringLiteral("ignored");
        }
        seed.failures << written;
    }
    c.commit();
    writer.refreshStatistics();
    return seed;
}

QList<qint64> idsWhere(FleetWriter &writer, const QString &where, const QVariantList &params)
{
    const sql::Rows rows = writer.connection().query(
        QStringLiteral("SELECT id FROM failed_records WHERE %1 ORDER BY failed_at DESC, id DESC")
            .arg(where),
        params);
    QList<qint64> ids;
    for (int r = 0; r < rows.size(); ++r)
        ids << rows.int64(r, 0);
    return ids;
}

QList<qint64> expectedIds(const FailureSeed &seed,
                          const std::function<bool(const SeededFailure &)> &want)
{
    QList<const SeededFailure *> chosen;
    for (const SeededFailure &s : seed.failures)
        if (want(s))
            chosen << &s;
    std::sort(chosen.begin(), chosen.end(), [](const SeededFailure *a, const SeededFailure *b) {
        return *a->failure.failedAt != *b->failure.failedAt
                   ? *a->failure.failedAt > *b->failure.failedAt
                   : a->id > b->id;
    });
    QList<qint64> ids;
    for (const SeededFailure *s : std::as_const(chosen))
        ids << s->id;
    return ids;
}

} // namespace mc::test
