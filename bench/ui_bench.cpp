// mc-bench-ui: the console's drawing budgets (issue #4).
//
//   mc-bench-ui redraw [--repeat N] [--json FILE]
//       One ThroughputChart with 24 h × 20 models at 10 s buckets (172 800 points), offscreen:
//       time per frame while dragging the time axis with the mouse, the whole day in view and a
//       one-hour window.
//       Budget: under 16 ms a frame.
//   mc-bench-ui scroll --db URL [--rows 200000] [--json FILE]
//       The Failures view scrolled to the bottom again and again until the table holds --rows
//       rows: the time of each further page (request to rows in the table) and the process's
//       resident memory afterwards. Budgets (issue 5): every page under 50 ms, under 300 MB.
//   mc-bench-ui cold-start --db URL [--repeat N] [--json FILE]
//       Starts a fresh console process N times and times from main() to the first paint of the
//       overview with data, minus the time the connection itself took (handshake and
//       authentication). Budget: under 0.5 s.
//   mc-bench-ui disconnect-stall --db URL --server-pid PID [--json FILE]
//       A console with every view open on a server that is then frozen (SIGSTOP to PID and its
//       child processes: give the pid of a server you own), disconnected (File ▸ Disconnect)
//       and resumed (SIGCONT): the longest the GUI thread does not answer, and how long the
//       disconnect itself takes. Budget (issue 11): under 50 ms each.
//
// Exit status 5 when a budget is missed.

#include "bench_figure.h"
#include "connection_status.h"
#include "database.h"
#include "disconnect_stall.h"
#include "failure_table_model.h"
#include "failures_page.h"
#include "live_overview.h"
#include "main_window.h"
#include "overview_page.h"
#include "store_session.h"
#include "throughput_chart.h"
#include "view_host.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace {

QElapsedTimer g_sinceMain;

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(std::ceil(p * double(values.size())) - 1))];
}

mc::ChartData dayOfTwentyModels(double from)
{
    mc::ChartData data;
    data.unit = QStringLiteral("records/s");
    for (int m = 0; m < 20; ++m) {
        mc::ChartSeries series;
        series.name = QStringLiteral("model_%1").arg(m + 1, 2, 10, QLatin1Char('0'));
        series.colorIndex = m;
        const int buckets = 24 * 360;
        series.keys.reserve(buckets);
        series.values.reserve(buckets);
        for (int b = 0; b < buckets; ++b) {
            const double t = from + b * 10.0;
            // A day's rhythm, per-model scale and noise: lines that cross, as real ones do.
            const double day = 0.6 + 0.4 * std::sin(b * 2 * M_PI / buckets);
            const double noise = std::fmod(std::sin(b * 12.9898 + m * 78.233) * 43758.5453, 1.0);
            series.keys.append(t);
            series.values.append((20 + 5 * m) * day * (1 + 0.3 * noise));
        }
        data.series.append(series);
    }
    return data;
}

int redraw(int repeat, std::vector<Figure> &figures)
{
    mc::widgets::ThroughputChart chart(QStringLiteral("Records created per second, by model"));
    chart.resize(1400, 520);
    chart.show();
    const double from = 1'764'000'000.0;
    const double until = from + 24 * 3600.0;
    QElapsedTimer timer;
    timer.start();
    chart.setData(dayOfTwentyModels(from), from, until, 10);
    chart.flushNow();
    auto *plot = chart.findChild<QCustomPlot *>();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    figures.push_back({QStringLiteral("first draw, 24 h × 20 models at 10 s"),
                       timer.nsecsElapsed() / 1e6, QStringLiteral("ms"), 0});

    // Panning as a user does it: the mouse pressed on the plot and dragged sideways. A frame is
    // the move event, the chart's own work and the replot it triggers, until the event loop is
    // idle again.
    auto pan = [&](double width, const QString &name) {
        chart.showTimeRange(until - width, until);
        chart.flushNow();
        QCoreApplication::processEvents();
        const QRect area = plot->axisRect()->rect();
        const QPointF start(area.right() - 10, area.center().y());
        auto send = [&](QEvent::Type type, QPointF at, Qt::MouseButtons buttons) {
            QMouseEvent event(type, at, plot->mapToGlobal(at), Qt::LeftButton, buttons,
                              Qt::NoModifier);
            QCoreApplication::sendEvent(plot, &event);
        };
        int replots = 0;
        const auto counter = QObject::connect(plot, &QCustomPlot::afterReplot, [&] { ++replots; });
        const double lowerBefore = chart.visibleFrom();
        send(QEvent::MouseButtonPress, start, Qt::LeftButton);
        std::vector<double> frames;
        const int steps = std::max(40, repeat * 5);
        for (int i = 1; i <= steps; ++i) {
            timer.restart();
            send(QEvent::MouseMove, start - QPointF(double(area.width() - 20) * i / steps, 0),
                 Qt::LeftButton);
            chart.flushNow();
            QCoreApplication::processEvents();
            frames.push_back(timer.nsecsElapsed() / 1e6);
        }
        send(QEvent::MouseButtonRelease, start, Qt::NoButton);
        QCoreApplication::processEvents();
        QObject::disconnect(counter);
        // A frame that drew nothing would flatter the figure: every move must have moved the
        // axis and replotted.
        if (replots < steps || chart.visibleFrom() == lowerBefore) {
            std::fprintf(stderr, "redraw: %d replots for %d moves; the drag did not pan\n",
                         replots, steps);
            std::exit(1);
        }
        figures.push_back({name + QStringLiteral(", median frame"), median(frames),
                           QStringLiteral("ms"), 16});
        figures.push_back({name + QStringLiteral(", 95th percentile frame"),
                           percentile(frames, 0.95), QStringLiteral("ms"), 16});
    };
    pan(24 * 3600.0, QStringLiteral("dragging the whole day"));
    pan(3600.0, QStringLiteral("dragging a one-hour window"));
    return 0;
}

double residentMegabytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return 0;
}

int scroll(const QString &url, int rows, std::vector<Figure> &figures)
{
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    mc::test::FailuresView page;
    page.resize(1400, 900);
    page.show();
    const double before = residentMegabytes();
    mc::FailureTableModel *model = page.failureModel();
    QTableView *table = page.table();
    QElapsedTimer timer;
    std::vector<double> pages;
    bool arrived = false;
    QObject::connect(model, &mc::FailureTableModel::pageLoaded, &page, [&](int, int) {
        pages.push_back(timer.nsecsElapsed() / 1e6);
        arrived = true;
    });
    timer.start();
    page.setDatabase(url);
    while (model->rowCount() < rows) {
        if (!QTest::qWaitFor([&] { return arrived; }, 30'000)) {
            std::fprintf(stderr, "scroll: no page within 30 s at row %d\n", model->rowCount());
            return 1;
        }
        if (!model->canFetchMore())
            break; // fewer records than --rows: measure what there is
        arrived = false;
        timer.restart();
        table->scrollToBottom(); // the view asks the model for more, as a user's scroll does
        QCoreApplication::processEvents();
    }
    if (pages.size() < 2) {
        std::fprintf(stderr, "scroll: the filter has fewer than two pages\n");
        return 1;
    }
    const double first = pages.front();
    pages.erase(pages.begin());
    figures.push_back({QStringLiteral("first page of the Failures view"), first,
                       QStringLiteral("ms"), 0});
    figures.push_back({QStringLiteral("further pages to row %1, median").arg(model->rowCount()),
                       median(pages), QStringLiteral("ms"), 50});
    figures.push_back({QStringLiteral("further pages to row %1, slowest").arg(model->rowCount()),
                       *std::max_element(pages.begin(), pages.end()), QStringLiteral("ms"),
                       50});
    figures.push_back({QStringLiteral("resident memory before connecting"), before,
                       QStringLiteral("MB"), 0});
    figures.push_back({QStringLiteral("resident memory after %1 rows").arg(model->rowCount()),
                       residentMegabytes(), QStringLiteral("MB"), 300});
    return 0;
}

// The child process of cold-start: prints "total_ms connect_ms" once the overview painted data.
int coldStartChild(const QString &url)
{
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationConsoleBench"));

    mc::Database database;
    mc::StoreSession &session = *database.polling();
    mc::LiveOverview live(&session);
    mc::widgets::MainWindow window(&database, &live);
    window.resize(1440, 900);
    window.show();

    QElapsedTimer connect;
    double connectMs = -1;
    QObject::connect(&session, &mc::StoreSession::statusChanged, &window,
                     [&](const mc::ConnectionStatus &status) {
                         if (status.state == mc::ConnectionStatus::State::Connected && connectMs < 0)
                             connectMs = connect.nsecsElapsed() / 1e6;
                     });
    bool haveData = false;
    QObject::connect(&live, &mc::LiveOverview::snapshotChanged, &window, [&] { haveData = true; });

    // The first paint of the progress table after the snapshot arrived: data on screen.
    struct PaintWatch : QObject
    {
        std::function<void()> painted;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint)
                QTimer::singleShot(0, this, painted);
            return false;
        }
    } watch;
    watch.painted = [&] {
        if (!haveData)
            return;
        const double total = g_sinceMain.nsecsElapsed() / 1e6;
        std::printf("%.3f %.3f\n", total, connectMs);
        std::fflush(stdout);
        QCoreApplication::exit(0);
    };
    window.overviewPage()->progressTable()->viewport()->installEventFilter(&watch);
    connect.start();
    window.connectTo(url);
    QTimer::singleShot(30'000, [] { QCoreApplication::exit(3); });
    return QApplication::exec();
}

int coldStart(const QString &url, int repeat, std::vector<Figure> &figures)
{
    std::vector<double> totals, connects, startups;
    for (int i = 0; i < repeat; ++i) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(),
                    {QStringLiteral("cold-start-child"), QStringLiteral("--db"), url});
        if (!child.waitForFinished(60'000) || child.exitCode() != 0) {
            std::fprintf(stderr, "cold-start: the console did not show data (exit %d)\n",
                         child.exitCode());
            return 1;
        }
        const QStringList parts = QString::fromUtf8(child.readAllStandardOutput()).split(' ');
        if (parts.size() < 2)
            return 1;
        const double total = parts[0].toDouble();
        const double connect = parts[1].toDouble();
        totals.push_back(total);
        connects.push_back(connect);
        startups.push_back(total - connect);
    }
    figures.push_back({QStringLiteral("main() to first painted overview"), median(totals),
                       QStringLiteral("ms"), 0});
    figures.push_back({QStringLiteral("of which connecting (handshake, authentication)"),
                       median(connects), QStringLiteral("ms"), 0});
    figures.push_back({QStringLiteral("cold start without the connect time"), median(startups),
                       QStringLiteral("ms"), 500});
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    g_sinceMain.start();
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The console's drawing budgets."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("mode"),
                                 QStringLiteral("redraw | scroll | cold-start | disconnect-stall"));
    parser.addOption({QStringLiteral("db"), QStringLiteral("Merge database URL."),
                      QStringLiteral("url")});
    parser.addOption({QStringLiteral("repeat"), QStringLiteral("Runs per figure."),
                      QStringLiteral("n"), QStringLiteral("9")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Also write the figures here."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("rows"), QStringLiteral("Rows to scroll to (scroll)."),
                      QStringLiteral("n"), QStringLiteral("200000")});
    parser.addOption({QStringLiteral("server-pid"),
                      QStringLiteral("The server to freeze (disconnect-stall): one you own."),
                      QStringLiteral("pid")});
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);
    const int repeat = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    const QString url = parser.value(QStringLiteral("db"));

    if (mode == QLatin1String("cold-start-child"))
        return coldStartChild(url);

    std::vector<Figure> figures;
    int status = 2;
    if (mode == QLatin1String("redraw"))
        status = redraw(repeat, figures);
    else if (mode == QLatin1String("scroll") && !url.isEmpty())
        status = scroll(url, parser.value(QStringLiteral("rows")).toInt(), figures);
    else if (mode == QLatin1String("cold-start") && !url.isEmpty())
        status = coldStart(url, repeat, figures);
    else if (mode == QLatin1String("disconnect-stall") && !url.isEmpty())
        status = disconnectStall(url, parser.value(QStringLiteral("server-pid")).toLongLong(),
                                 figures);
    else
        parser.showHelp(2);
    if (status != 0)
        return status;

    bool allMet = true;
    QJsonArray json;
    std::printf("\n%-52s %10s  %s\n", "measure", "value", "budget");
    for (const Figure &f : figures) {
        const bool met = f.budget == 0 || f.value < f.budget;
        allMet = allMet && met;
        std::printf("%-52s %7.1f %s  %s\n", qPrintable(f.measure), f.value, qPrintable(f.unit),
                    f.budget == 0 ? ""
                                  : qPrintable(QStringLiteral("< %1 %2 %3")
                                                   .arg(f.budget)
                                                   .arg(f.unit, met ? QStringLiteral("ok")
                                                                    : QStringLiteral("MISSED"))));
        json.append(QJsonObject{{QStringLiteral("measure"), f.measure},
                                {QStringLiteral("value"), f.value},
                                {QStringLiteral("unit"), f.unit},
                                {QStringLiteral("budget"), f.budget},
                                {QStringLiteral("met"), met}});
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QFile file(parser.value(QStringLiteral("json")));
        if (file.open(QIODevice::WriteOnly))
            file.write(QJsonDocument(json).toJson());
    }
    return allMet ? 0 : 5;
}
