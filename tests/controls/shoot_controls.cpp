// Renders the Controls view against a merge database for docs/screenshots: a staged queue
// edit, a rollout raise with its preview and a lowering with its warning.
//
//   shoot-controls --db URL --out controls.png [--raise PORTAL=PERCENT] [--lower PORTAL=PERCENT]
//                  [--conflict controls-conflict.png]
//
// Without --conflict nothing is written to the database: the edits stay staged. With it, a
// second operator ("ann") changes the staged queue through another connection, the page tries
// to apply, and the picture shows the conflict and the dialog asking again (on a throwaway
// database only: it writes one queue change).

#include "controls_page.h"
#include "queue_editor.h"
#include "queue_settings_model.h"
#include "rollout_editor.h"

#include "merge_store.h"
#include "message_banner.h"
#include "reason_dialog.h"
#include "view_host.h"

#include <QApplication>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QCommandLineParser>
#include <QDoubleSpinBox>
#include <QTest>

#include <cstdio>

using namespace mc;

namespace {

bool stageRollout(widgets::ControlsPage &page, const QString &spec)
{
    const QString portal = spec.section(QLatin1Char('='), 0, 0);
    const double percent = spec.section(QLatin1Char('='), 1).toDouble();
    widgets::RolloutEditor *editor = page.rolloutEditor(QStringLiteral("merge"), portal);
    if (!editor)
        return false;
    editor->spinBox()->setValue(percent);
    return QTest::qWaitFor([&] { return editor->draft().hasCurrentPreview(); }, 10'000);
}

// Another operator changes create_high underneath the staged edit; the page applies anyway,
// is refused, and asks again. The picture: the page with the dialog over it.
bool shootConflict(widgets::ControlsPage &page, const QString &url, const QString &out)
{
    QueueSettingsModel *model = page.queueEditor()->model();
    auto store = openStore(url);
    if (!store)
        return false;
    QueueChange change;
    change.queue = QStringLiteral("create_high");
    change.parallelism = model->queue(change.queue)->parallelism - 4;
    change.reason = QStringLiteral("target DB write latency above 200 ms, easing off");
    change.by = Operator{QStringLiteral("ann")};
    if (!store.value()->updateQueue(change))
        return false;
    if (!QTest::qWaitFor([&] { return model->rowChangedUnder(change.queue); }, 10'000))
        return false;
    widgets::QueueEditor *queues = page.queueEditor();
    queues->applyButton()->click();
    if (!QTest::qWaitFor([&] { return queues->openDialog() != nullptr; }, 5000))
        return false;
    queues->openDialog()->reasonEdit()->setText(QStringLiteral("backlog of 40 000 create jobs"));
    queues->openDialog()->applyButton()->click();
    if (!QTest::qWaitFor([&] { return queues->openDialog() != nullptr; }, 10'000))
        return false;
    QTest::qWait(300);
    QImage picture = page.grab().toImage();
    widgets::ReasonDialog *dialog = queues->openDialog();
    const QImage box = dialog->grab().toImage();
    QPainter painter(&picture);
    const QPoint at((picture.width() - box.width()) / 2, (picture.height() - box.height()) / 2);
    painter.fillRect(QRect(at + QPoint(4, 4), box.size()), QColor(0, 0, 0, 60)); // a shadow
    painter.drawImage(at, box);
    painter.setPen(QColor(0x888888));
    painter.drawRect(QRect(at, box.size()).adjusted(0, 0, -1, -1));
    painter.end();
    return picture.save(out);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("merge database URL"), QStringLiteral("url")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("PNG to write"), QStringLiteral("file")});
    parser.addOption({QStringLiteral("raise"), QStringLiteral("portal=percent"), QStringLiteral("spec"),
                      QStringLiteral("lt=40")});
    parser.addOption({QStringLiteral("lower"), QStringLiteral("portal=percent"), QStringLiteral("spec"),
                      QStringLiteral("fr=5")});
    parser.addOption({QStringLiteral("conflict"), QStringLiteral("PNG of a conflict to write"),
                      QStringLiteral("file")});
    parser.process(app);

    test::ControlsView page;
    page.setOperator(Operator{QStringLiteral("lead")});
    page.resize(1440, 900);
    page.show();
    page.setDatabase(parser.value(QStringLiteral("db")));
    QueueSettingsModel *model = page.queueEditor()->model();
    if (!QTest::qWaitFor([&] { return model->rowCount() > 0; }, 15'000)) {
        std::fprintf(stderr, "shoot-controls: no queues loaded\n");
        return 1;
    }
    const QList<QueueState> queues = model->queues();
    for (const QueueState &queue : queues)
        if (queue.name == QLatin1String("create_high"))
            model->stage(queue.name, QueueSettingsModel::Parallelism, queue.parallelism + 8);
    if (!stageRollout(page, parser.value(QStringLiteral("raise")))
        || !stageRollout(page, parser.value(QStringLiteral("lower")))) {
        std::fprintf(stderr, "shoot-controls: no rollout preview\n");
        return 1;
    }
    QTest::qWait(300);
    if (!page.grab().save(parser.value(QStringLiteral("out")))) {
        std::fprintf(stderr, "shoot-controls: cannot write the PNG\n");
        return 1;
    }
    if (parser.isSet(QStringLiteral("conflict"))
        && !shootConflict(page, parser.value(QStringLiteral("db")),
                          parser.value(QStringLiteral("conflict")))) {
        std::fprintf(stderr, "shoot-controls: the conflict did not show\n");
        return 1;
    }
    return 0;
}
