// mc-bench-wan: each view action through the latency proxy at several round-trip times, on a
// seeded merge database: the time (median of --repeat runs) and the round trips the proxy
// counted. Round trips do not depend on the machine's load; times do.
//
//   mc-bench-wan --url URL [--rtt-ms 0,20,50] [--repeat 5]

#include "connection_url.h"
#include "latency_proxy.h"
#include "merge_store.h"
#include "session/failures/failure_export.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace mc;

namespace {

struct Figure
{
    double ms = 0;
    qint64 trips = 0;
};

[[noreturn]] void fail(const QString &why)
{
    std::fprintf(stderr, "mc-bench-wan: %s\n", qPrintable(why));
    std::exit(1);
}

template<typename T>
T need(Result<T> result, const char *what)
{
    if (!result)
        fail(QStringLiteral("%1: %2").arg(QLatin1String(what), result.error().message));
    return std::move(result).value();
}

Figure measure(latency::LatencyProxy &proxy, int repeat, const std::function<void()> &body)
{
    std::vector<double> times;
    qint64 trips = 0;
    for (int i = 0; i < repeat; ++i) {
        proxy.resetCounts();
        QElapsedTimer timer;
        timer.start();
        body();
        times.push_back(double(timer.nsecsElapsed()) / 1e6);
        trips = proxy.counts().roundTrips;
    }
    std::sort(times.begin(), times.end());
    return {times[times.size() / 2], trips};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QString url;
    QList<int> rtts{0, 20, 50};
    int repeat = 5;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == u"--url")
            url = args[i + 1];
        else if (args[i] == u"--rtt-ms") {
            rtts.clear();
            for (const QString &v : args[i + 1].split(u','))
                rtts << v.toInt();
        } else if (args[i] == u"--repeat")
            repeat = std::max(1, args[i + 1].toInt());
        else
            fail(QStringLiteral("unknown argument ") + args[i]);
    }
    auto parsed = ConnectionUrl::parse(url);
    if (url.isEmpty() || !parsed)
        fail(QStringLiteral("--url URL of a seeded merge database is required"));
    ConnectionUrl target = parsed.value();

    std::printf("| action | rtt ms | median ms | round trips |\n| --- | ---: | ---: | ---: |\n");
    for (const int rtt : rtts) {
        latency::LatencyProxy proxy(target.settings.host.toStdString(), target.settings.port,
                                    std::chrono::microseconds(rtt * 500));
        proxy.start();
        ConnectionUrl via = target;
        via.settings.host = QStringLiteral("127.0.0.1");
        via.settings.port = proxy.port();
        OverviewRequest request;
        request.latestBuckets = 9;
        auto row = [&](const char *action, const Figure &f) {
            std::printf("| %s | %d | %.1f | %lld |\n", action, rtt, f.ms,
                        static_cast<long long>(f.trips));
            std::fflush(stdout);
        };
        // The stores stay open until after the count: closing sends a goodbye, not a round trip.
        std::vector<std::unique_ptr<MergeStore>> opened;
        row("connect and first overview", measure(proxy, repeat, [&] {
                opened.push_back(need(openStore(via.toString()), "connect"));
                need(opened.back()->serverInfo(), "server info");
                need(opened.back()->overview(request), "overview");
            }));
        opened.clear();
        auto store = need(openStore(via.toString()), "connect");
        need(store->overview(request), "overview");
        row("overview refresh", measure(proxy, repeat, [&] { need(store->overview(request), "overview"); }));
        FailurePage first;
        row("failures first page", measure(proxy, repeat, [&] {
                first = need(store->failures({}, std::nullopt, 200), "failures");
            }));
        if (first.next)
            row("failures next page", measure(proxy, repeat, [&] {
                    need(store->failures({}, first.next, 200), "next page");
                }));
        row("error groups", measure(proxy, repeat, [&] { need(store->errorGroups(), "groups"); }));
        const UserKey user = first.rows.isEmpty() ? UserKey{} : first.rows.first().user;
        row("user dossier", measure(proxy, repeat, [&] { need(store->userDossier(user), "dossier"); }));
        // Queue change: parallelism up by one, then back, one change a run.
        QueueState queue = need(store->overview(request), "overview").queues.value(0);
        int delta = 1;
        row("queue change", measure(proxy, repeat, [&] {
                QueueChange c;
                c.queue = queue.name;
                c.parallelism = queue.parallelism + delta;
                c.expectVersion = queue.version;
                c.reason = QStringLiteral("bench");
                c.by.osUser = QStringLiteral("mc-bench-wan");
                queue = need(store->updateQueue(c), "queue change");
                delta = -delta;
            }));
        // Retry one user: a different failed user of the first page each run (moved to pending:
        // the database changes, as a support person's retry would change it).
        QSet<QString> seen;
        std::vector<UserKey> failedUsers;
        for (const FailureRow &r : std::as_const(first.rows))
            if (!seen.contains(r.user.toString())) {
                seen.insert(r.user.toString());
                failedUsers.push_back(r.user);
            }
        size_t nextUser = 0;
        if (failedUsers.size() >= size_t(repeat))
            row("retry one user", measure(proxy, repeat, [&] {
                    RetryRequest retry;
                    retry.users = std::vector<UserKey>{failedUsers[nextUser++]};
                    retry.reason = QStringLiteral("bench");
                    retry.by.osUser = QStringLiteral("mc-bench-wan");
                    need(store->retryUsers(retry, BulkControl{}), "retry");
                }));
        // Export of 10 000 records with details and payloads, once.
        proxy.resetCounts();
        QElapsedTimer timer;
        timer.start();
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        ExportOptions options;
        options.includeDetails = true;
        FailureFilter filter;
        filter.includeResolved = true;
        filter.until = std::nullopt;
        // The newest 10 000 records: a page size of 1000, stopped after ten pages.
        std::atomic_bool cancel{false};
        qint64 written = 0;
        ExportControl control;
        control.cancel = &cancel;
        control.onProgress = [&](const ExportProgress &p) {
            written = p.written;
            if (p.written >= 10'000)
                cancel = true;
        };
        need(exportFailures(*store, filter, options, buffer, control), "export");
        row("export 10 000 records with payloads", {double(timer.nsecsElapsed()) / 1e6,
                                                     proxy.counts().roundTrips});
        if (written < 10'000)
            std::fprintf(stderr, "mc-bench-wan: the database held only %lld records\n",
                         static_cast<long long>(written));
    }
    return 0;
}
