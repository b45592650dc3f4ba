#include "tst_failures.h"

#include "failure_count.h"
#include "failure_table_model.h"
#include "failures_page.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace mc;
using namespace mc::test;

namespace mc::test {

bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    QTimer tick; // wakes the loop now and then, so the time limit holds without events
    tick.start(20);
    while (!done()) {
        if (elapsed.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

bool settled(widgets::FailuresPage &page)
{
    return !page.failureModel()->isLoading() && page.failureModel()->pagesLoaded() > 0
           && page.failureCount()->state() != FailureCount::State::Counting;
}

bool scrollToEnd(widgets::FailuresPage &page)
{
    FailureTableModel *model = page.failureModel();
    for (int guard = 0; guard < 10'000; ++guard) {
        if (!waitUntil([model] { return !model->isLoading(); }))
            return false;
        if (model->isComplete())
            return true;
        const int pages = model->pagesLoaded();
        page.table()->scrollToBottom();
        if (!waitUntil([model, pages] { return model->pagesLoaded() > pages; }))
            return false;
    }
    return false;
}

QList<qint64> shownIds(widgets::FailuresPage &page)
{
    QList<qint64> ids;
    for (const FailureRow &row : page.failureModel()->failures())
        ids << row.id;
    return ids;
}

QString trickyMessage()
{
    return QStringLiteral("Price \"12,50 €\" is not a number\n\tat column 7 <b>not bold</b> &amp;\n\n"
                          "  leading and trailing spaces   \nemoji 🚀, RTL مرحبا, ZWJ 👩\u200d👩\u200d👧");
}

QString trickyBacktrace()
{
    QString backtrace;
    for (int i = 0; i < 60; ++i)
        backtrace += QStringLiteral("/srv/app/lib/merge/step_%1.rb:%2:in `block (%1 levels) in "
                                    "call'\n")
                         .arg(i)
                         .arg(i * 7 + 1);
    return backtrace + QStringLiteral("\t<internal:kernel>:90:in `loop'");
}

QString countWords(qint64 n)
{
    return n == 1 ? QStringLiteral("1 failed record")
                  : QStringLiteral("%1 failed records").arg(QLocale().toString(n));
}

} // namespace mc::test

void FailuresTest::initTestCase()
{
    QLocale::setDefault(QLocale::c());
    m_server = TestServer::fromEnvironment();
    // The server must be there: a missing server fails the suite, it never skips it.
    auto probe = mc::openStore(m_server.admin.toString());
    QVERIFY2(probe.ok(), qPrintable(QStringLiteral("%1 server not reachable at %2: %3")
                                        .arg(m_server.backend, m_server.admin.redacted(),
                                             probe.ok() ? QString() : probe.error().message)));
    m_naughty = naughtyStrings();
    QVERIFY(m_naughty.size() > 400);
    m_db = std::make_unique<TestDatabase>(m_server);
    m_db->installedStore();
    m_writer = m_db->openWriter();
    QElapsedTimer seeding;
    seeding.start();
    m_seed = seedFailures(*m_writer, 3000, m_naughty);
    // The newest record: a message and backtrace that are easy to show wrongly.
    NewFailure tricky;
    tricky.user = {QStringLiteral("lt"), 7};
    tricky.modelId = 2;
    tricky.recordId = QStringLiteral("item-ü-42");
    tricky.errorClass = QStringLiteral("Encoding::UndefinedConversionError");
    tricky.message = trickyMessage();
    tricky.backtrace = trickyBacktrace();
    tricky.payload = QByteArrayLiteral("{\"title\": \"caf\xc3\xa9 \xf0\x9f\x9a\x80\", \"n\": 1}");
    tricky.attempt = 4;
    tricky.failedAt = kT0 + 60'000;
    m_seed.failures << SeededFailure{m_writer->addFailure(tricky), tricky, QString()};
    qInfo("seeded %lld failed records in %lld ms", qint64(m_seed.failures.size()),
          seeding.elapsed());
}

void FailuresTest::cleanupTestCase()
{
    m_writer.reset();
    m_db.reset();
}

std::unique_ptr<widgets::FailuresPage> FailuresTest::openPage(const QString &url)
{
    auto page = std::make_unique<FailuresView>();
    page->resize(1400, 900);
    page->show();
    page->setDatabase(url);
    if (!waitUntil([&] { return settled(*page); }))
        qWarning("the page did not settle: %s", qPrintable(page->countText()));
    return page;
}

QTEST_MAIN(FailuresTest)
