// For docs: the Failures page on a seeded database, offscreen, with the newest failed record
// selected and the error groups showing; saved as a PNG.
//
//   failures-screenshot URL OUT.png [WIDTH HEIGHT [ROW [GROUP [SEARCH [match-case]]]]]
//
// ROW: the table row to select (default 2); GROUP: filter by the error group in this row of the
// groups panel first (default, or -1: none); SEARCH: type this into the text field first (with
// Match case ticked when "match-case" follows); the filter bar alone also goes to OUT-bar.png.

#include "error_group_model.h"
#include "failure_count.h"
#include "failure_filter_bar.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "view_host.h"

#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

#include <cstdio>

namespace {

bool waitUntil(const std::function<bool()> &done, int timeoutMs = 30'000)
{
    QElapsedTimer elapsed;
    elapsed.start();
    QTimer tick;
    tick.start(20);
    while (!done()) {
        if (elapsed.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: failures-screenshot URL OUT.png [WIDTH HEIGHT]\n");
        return 2;
    }
    const int width = args.size() > 4 ? args[3].toInt() : 1600;
    const int height = args.size() > 4 ? args[4].toInt() : 1000;
    mc::test::FailuresView page;
    page.resize(width, height);
    page.show();
    page.setDatabase(args[1]);
    bool detail = false;
    QObject::connect(&page, &mc::widgets::FailuresPage::detailShown, &page,
                     [&detail] { detail = true; });
    const bool ready = waitUntil([&] {
        return !page.failureModel()->isLoading() && page.failureModel()->rowCount() > 0
               && page.groupModel()->rowCount() > 0
               && page.failureCount()->state() == mc::FailureCount::State::Exact;
    });
    if (!ready) {
        std::fprintf(stderr, "the page did not fill: %s\n", qPrintable(page.countText()));
        return 1;
    }
    if (args.size() > 7) {
        mc::widgets::FailureFilterBar *bar = page.filterBar();
        bar->matchCaseBox()->setChecked(args.size() > 8 && args[8] == QLatin1String("match-case"));
        bar->textEdit()->setText(args[7]);
        bar->textEdit()->returnPressed();
        waitUntil([&] {
            return !page.failureModel()->isLoading()
                   && page.failureCount()->state() == mc::FailureCount::State::Exact;
        });
    }
    if (args.size() > 6 && args[6].toInt() >= 0) {
        const mc::ErrorGroup group = page.groupModel()->groupAt(args[6].toInt());
        mc::FailureFilter filter = page.filter();
        filter.fingerprint = group.fingerprint;
        page.setFilter(filter);
        waitUntil([&] {
            return !page.failureModel()->isLoading() && page.failureModel()->rowCount() > 0
                   && page.failureCount()->state() == mc::FailureCount::State::Exact;
        });
    }
    const int row = args.size() > 5 ? args[5].toInt() : 2;
    page.table()->selectRow(row);
    waitUntil([&] { return detail; });
    waitUntil([] { return false; }, 300); // let the layout settle
    QString barFile = args[2];
    barFile.replace(QStringLiteral(".png"), QStringLiteral("-bar.png"));
    page.filterBar()->grab().save(barFile);
    if (!page.grab().save(args[2])) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(args[2]));
        return 1;
    }
    return 0;
}
