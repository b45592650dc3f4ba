// Contract: failed records, the failures explorer's data. Expected rows come from what the test
// wrote, never from the code under test.

#include "tst_contract.h"

#include "sql/sql_connection.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

using namespace mc;
using namespace mc::test;

void ContractTest::failuresPageByKeysetWithoutGapsOrRepeats()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 10, 1));
    QList<QPair<EpochMs, qint64>> written;
    for (int i = 0; i < 257; ++i) {
        NewFailure failure;
        failure.user = {QStringLiteral("lt"), 1 + i % 10};
        failure.modelId = 2;
        failure.errorClass = QStringLiteral("ActiveRecord::RecordInvalid");
        failure.message = QStringLiteral("Validation failed for item %1").arg(i);
        failure.failedAt = kT0 + (i / 7) * 1000; // runs of 7 equal timestamps: ties on failed_at
        written.append({*failure.failedAt, writer->addFailure(failure)});
    }
    // Newest first; within one timestamp the higher id first.
    std::sort(written.begin(), written.end(), [](const auto &a, const auto &b) { return a > b; });
    QList<qint64> expected;
    for (const auto &entry : written)
        expected << entry.second;
    for (int pageSize : {1, 7, 50, 300}) {
        const QList<qint64> ids = allFailureIds(*store, {}, pageSize);
        QCOMPARE(ids.size(), 257);
        QCOMPARE(QSet<qint64>(ids.begin(), ids.end()).size(), 257);
        QCOMPARE(ids, expected);
    }
    auto page = store->failures({}, std::nullopt, 50);
    REQUIRE_OK(page);
    QVERIFY(page->next);
    const auto decoded = FailureCursor::decode(page->next->encode());
    QVERIFY(decoded);
    QCOMPARE(decoded->id, page->rows.last().id);
    QCOMPARE(page->rows[0].model, QStringLiteral("items"));
    QCOMPARE(page->rows[0].messageExcerpt, QStringLiteral("Validation failed for item 256"));

    auto tooBig = store->failures({}, std::nullopt, 0);
    QVERIFY(!tooBig.ok());
    QCOMPARE(tooBig.error().kind, StoreError::Kind::InvalidInput);
}

void ContractTest::failureFiltersNarrowToExactlyTheMatchingRows()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 20, 1));
    writer->addUsers(usersWithStatuses(QStringLiteral("de"), 20, 1));

    struct Written
    {
        qint64 id;
        NewFailure failure;
    };
    QList<Written> written;
    const QString classes[] = {QStringLiteral("Timeout"), QStringLiteral("KeyError"),
                               QStringLiteral("timeout")};
    for (int i = 0; i < 120; ++i) {
        NewFailure f;
        f.user = {i % 3 == 0 ? QStringLiteral("de") : QStringLiteral("lt"), 1 + i % 20};
        f.modelId = 1 + i % 3;
        f.errorClass = classes[i % 3];
        f.message = i % 4 == 0 ? QStringLiteral("user 50% done: _x_ [%1]").arg(i)
                               : QStringLiteral("Price too HIGH %1").arg(i);
        f.failedAt = kT0 + i * 60'000;
        written.append({writer->addFailure(f), f});
    }
    // Resolve a few so "include resolved" matters.
    writer->connection().exec(QStringLiteral("UPDATE failed_records SET resolution = 'ignored' "
                                             "WHERE id IN ($1, $2, $3)"),
                              {written[0].id, written[5].id, written[50].id});
    const QSet<qint64> resolved{written[0].id, written[5].id, written[50].id};

    qsizetype matched = -1; // rows the last check expected
    auto check = [&](const FailureFilter &filter,
                     const std::function<bool(const NewFailure &)> &want) {
        QList<qint64> expected;
        for (const Written &w : written)
            if (want(w.failure) && (filter.includeResolved || !resolved.contains(w.id)))
                expected.prepend(w.id);
        matched = expected.size();
        const QList<qint64> ids = allFailureIds(*store, filter, 16);
        QCOMPARE(ids, expected);
        auto count = store->countFailures(filter);
        QVERIFY(count.ok());
        QCOMPARE(*count, qint64(expected.size()));
    };

    FailureFilter none;
    check(none, [](const NewFailure &) { return true; });
    QCOMPARE(matched, 117);
    none.includeResolved = true;
    check(none, [](const NewFailure &) { return true; });
    QCOMPARE(matched, 120);

    FailureFilter byModel;
    byModel.modelId = 2;
    check(byModel, [](const NewFailure &f) { return f.modelId == 2; });

    FailureFilter byClass; // exact and case-sensitive: "Timeout" is not "timeout"
    byClass.errorClass = QStringLiteral("Timeout");
    check(byClass, [](const NewFailure &f) { return f.errorClass == "Timeout"; });
    QCOMPARE(matched, 39);

    FailureFilter byPortal;
    byPortal.portal = QStringLiteral("de");
    check(byPortal, [](const NewFailure &f) { return f.user.portal == "de"; });

    FailureFilter byTime;
    byTime.since = kT0 + 10 * 60'000;
    byTime.until = kT0 + 20 * 60'000; // until is exclusive
    check(byTime, [](const NewFailure &f) {
                 return *f.failedAt >= kT0 + 10 * 60'000 && *f.failedAt < kT0 + 20 * 60'000;
             });
    QCOMPARE(matched, 10);

    FailureFilter byText; // LIKE wildcards are literal characters here
    byText.searchText = QStringLiteral("50% done: _x_");
    check(byText, [](const NewFailure &f) { return f.message.contains("50% done: _x_"); });
    QCOMPARE(matched, 29);
    byText.searchText = QStringLiteral("%");
    check(byText, [](const NewFailure &f) { return f.message.contains('%'); });
    byText.searchText = QStringLiteral("high"); // ASCII letters in either case by default
    check(byText, [](const NewFailure &f) { return f.message.contains("HIGH"); });
    QCOMPARE(matched, 88);
    byText.matchCase = true; // "HIGH" does not match "high"
    check(byText, [](const NewFailure &) { return false; });
    QCOMPARE(matched, 0);
    byText.searchText = QStringLiteral("Timeout"); // the error class is searched too
    check(byText, [](const NewFailure &f) { return f.errorClass == "Timeout"; });
    byText.matchCase = false;
    check(byText, [](const NewFailure &f) { return f.errorClass.toLower() == "timeout"; });
    QCOMPARE(matched, 77);

    FailureFilter combined;
    combined.modelId = 1;
    combined.portal = QStringLiteral("de");
    combined.searchText = QStringLiteral("Price");
    combined.since = kT0;
    check(combined, [](const NewFailure &f) {
        return f.modelId == 1 && f.user.portal == "de" && f.message.contains("Price");
    });
}

void ContractTest::payloadsRoundTripByteForByte()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 1, 1));

    QByteArray allBytes;
    for (int b = 0; b < 256; ++b)
        allBytes.append(char(b));
    QByteArray large(5 * 1024 * 1024, Qt::Uninitialized);
    QRandomGenerator random(42);
    random.fillRange(reinterpret_cast<quint32 *>(large.data()), large.size() / 4);
    const QList<QPair<QByteArray, QString>> payloads{
        {QStringLiteral("{\"name\":\"Žemaitė 🚀 مرحبا\",\"q\":\"it's \\\"x\\\"\"}").toUtf8(),
         QStringLiteral("application/json")},
        {allBytes, QStringLiteral("application/octet-stream")},
        {QByteArray("\xff\xfe{\"broken\": \xc3\x28}", 16), QStringLiteral("application/json")},
        {QByteArray(), QStringLiteral("application/json")},
        {large, QStringLiteral("application/octet-stream")},
    };
    for (const auto &[payload, type] : payloads) {
        NewFailure f;
        f.user = {QStringLiteral("lt"), 1};
        f.modelId = 2;
        f.errorClass = QStringLiteral("Payload");
        f.message = QStringLiteral("multi\nline message ✓");
        f.backtrace = QStringLiteral("app/a.rb:1:in `x'\napp/b.rb:2");
        f.payload = payload;
        f.contentType = type;
        const qint64 id = writer->addFailure(f);
        auto detail = store->failure(id);
        REQUIRE_OK(detail);
        QCOMPARE(detail->payload.size(), payload.size());
        QVERIFY(detail->payload == payload);
        QCOMPARE(detail->row.payloadSize, qint64(payload.size()));
        QCOMPARE(detail->contentType, type);
        QCOMPARE(detail->message, f.message);
        QCOMPARE(detail->backtrace, f.backtrace);
        QCOMPARE(detail->row.messageExcerpt, QStringLiteral("multi"));
        QCOMPARE(detail->fingerprint.size(), 32);
    }
}

void ContractTest::errorGroupsFoldNumbersAndQuotedValues()
{
    TestDatabase db(m_server);
    auto store = db.installedStore();
    auto writer = db.openWriter();
    seedCatalogue(*writer);
    writer->addUsers(usersWithStatuses(QStringLiteral("lt"), 5, 1));
    auto add = [&](int model, const QString &cls, const QString &message, EpochMs at) {
        NewFailure f;
        f.user = {QStringLiteral("lt"), 1};
        f.modelId = model;
        f.errorClass = cls;
        f.message = message;
        f.failedAt = at;
        return writer->addFailure(f);
    };
    add(2, QStringLiteral("RecordNotFound"), QStringLiteral("Couldn't find Item with 'id'=17"), kT0);
    add(2, QStringLiteral("RecordNotFound"), QStringLiteral("Couldn't find Item with 'id'=9031"),
        kT0 + 5000);
    const qint64 third = add(3, QStringLiteral("RecordNotFound"),
                             QStringLiteral("Couldn't find Item with 'id'=4"), kT0 + 9000);
    add(2, QStringLiteral("Timeout"), QStringLiteral("Couldn't find Item with 'id'=17"), kT0 + 1);
    add(1, QStringLiteral("RecordNotFound"), QStringLiteral("name \"Ann\" is taken"), kT0 + 2);
    add(1, QStringLiteral("RecordNotFound"), QStringLiteral("name \"Bob\" is taken"), kT0 + 3);

    auto groups = store->errorGroups();
    REQUIRE_OK(groups);
    QCOMPARE(groups->size(), 3);
    const ErrorGroup &top = groups->at(0);
    QCOMPARE(top.errorClass, QStringLiteral("RecordNotFound"));
    // The apostrophe of "Couldn't" opens a quoted value: crude, but the same on both backends.
    QCOMPARE(top.messagePattern, QStringLiteral("Couldn?id'=#"));
    QCOMPARE(top.failures, 3);
    QCOMPARE(top.unresolved, 3);
    QCOMPARE(top.firstSeen, kT0);
    QCOMPARE(top.lastSeen, kT0 + 9000);
    QCOMPARE(top.models, (QStringList{QStringLiteral("items"), QStringLiteral("followers")}));
    QCOMPARE(groups->at(1).failures, 2);
    QCOMPARE(groups->at(1).messagePattern, QStringLiteral("name ? is taken"));
    QCOMPARE(groups->at(2).errorClass, QStringLiteral("Timeout"));

    // A group's fingerprint filters the failures; resolving one lowers its unresolved count.
    FailureFilter filter;
    filter.fingerprint = top.fingerprint;
    QCOMPARE(allFailureIds(*store, filter, 10).size(), 3);
    writer->connection().exec(
        QStringLiteral("UPDATE failed_records SET resolution = 'ignored' WHERE id = $1"), {third});
    groups = store->errorGroups();
    REQUIRE_OK(groups);
    QCOMPARE(groups->at(0).failures, 3);
    QCOMPARE(groups->at(0).unresolved, 2);
    auto count = store->countFailures(filter);
    QVERIFY(count.ok());
    QCOMPARE(*count, 2);
}
