// Renders the Users and Audit views against a merge database with data and saves PNGs:
//
//   support-screenshots --db URL [--out DIR] [--user PORTAL:ID] [--tab N] [--retry-list TEXT]
//
// Without --user it shows the first failed user it finds among the newest failed records.
// Run it offscreen (QT_QPA_PLATFORM=offscreen). Writes DIR/users.png and DIR/audit.png; with
// --retry-list it also retries that pasted list (it changes the database!) and writes
// DIR/users-list.png with the outcome.

#include "audit_log_model.h"
#include "audit_page.h"
#include "merge_store.h"
#include "reason_dialog.h"
#include "user_dossier_view.h"
#include "user_list_panel.h"
#include "users_page.h"
#include "view_host.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTabWidget>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include <cstdio>

namespace {

std::optional<mc::UserKey> firstFailedUser(mc::MergeStore &store)
{
    auto page = store.failures({}, std::nullopt, 200);
    if (!page.ok())
        return std::nullopt;
    for (const mc::FailureRow &row : page->rows) {
        auto dossier = store.userDossier(row.user);
        if (dossier.ok() && dossier->migration.status == mc::UserStatus::Failed
            && dossier->failures.size() >= 2)
            return row.user;
    }
    return std::nullopt;
}

bool save(QWidget &widget, const QString &path)
{
    const bool saved = widget.grab().save(path, "PNG");
    std::fprintf(stderr, "support-screenshots: %s %s\n", saved ? "saved" : "could not save",
                 qPrintable(path));
    return saved;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption(
        {QStringLiteral("db"), QStringLiteral("Merge database URL."), QStringLiteral("url")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output folder."),
                      QStringLiteral("dir"), QStringLiteral("docs/screenshots")});
    parser.addOption(
        {QStringLiteral("user"), QStringLiteral("User to show."), QStringLiteral("portal:id")});
    parser.addOption({QStringLiteral("tab"), QStringLiteral("Dossier tab to show."),
                      QStringLiteral("n"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("retry-list"), QStringLiteral("Pasted list to retry."),
                      QStringLiteral("text")});
    parser.addHelpOption();
    parser.process(app);
    const QString url = parser.value(QStringLiteral("db"));
    const QString out = parser.value(QStringLiteral("out"));
    QDir().mkpath(out);

    auto store = mc::openStore(url);
    if (!store.ok()) {
        std::fprintf(stderr, "support-screenshots: %s\n", qPrintable(store.error().message));
        return 1;
    }
    std::optional<mc::UserKey> user = parser.isSet(QStringLiteral("user"))
                                          ? mc::UserKey::parse(parser.value(QStringLiteral("user")))
                                          : firstFailedUser(**store);
    if (!user) {
        std::fprintf(stderr, "support-screenshots: no failed user to show\n");
        return 1;
    }

    mc::test::UsersView users;
    users.resize(1440, 900);
    users.show();
    users.setDatabase(url);
    mc::test::AuditView audit;
    audit.resize(1440, 900);
    int exitCode = 0;
    QObject::connect(&users, &mc::widgets::UsersPage::historyShown, &app, [&] {
        users.dossierView()->tabs()->setCurrentIndex(parser.value(QStringLiteral("tab")).toInt());
        QTimer::singleShot(400, &app, [&] {
            if (!save(users, out + QStringLiteral("/users.png")))
                exitCode = 1;
            if (!parser.isSet(QStringLiteral("retry-list"))) {
                users.hide();
                audit.show();
                audit.setDatabase(url);
                return;
            }
            mc::widgets::UserListPanel *panel = users.listPanel();
            users.tabs()->setCurrentWidget(panel);
            panel->listEdit()->setPlainText(
                parser.value(QStringLiteral("retry-list"))
                    .replace(QStringLiteral("\\n"), QStringLiteral("\n")));
            panel->retryButton()->click();
            auto *dialog = panel->findChild<mc::widgets::ReasonDialog *>();
            if (!dialog) {
                std::fprintf(stderr, "support-screenshots: the list has no user to retry\n");
                app.exit(1);
                return;
            }
            dialog->reasonEdit()->setText(QStringLiteral("INC-4411: replay after the fix"));
            dialog->confirmButton()->click();
        });
    });
    QObject::connect(users.listPanel(), &mc::widgets::UserListPanel::retryFinished, &app, [&] {
        QTimer::singleShot(400, &app, [&] {
            if (!save(users, out + QStringLiteral("/users-list.png")))
                exitCode = 1;
            users.hide();
            audit.show();
            audit.setDatabase(url);
        });
    });
    QObject::connect(audit.model(), &mc::AuditLogModel::pageLoaded, &app, [&] {
        audit.table()->selectRow(0);
        QTimer::singleShot(400, &app, [&] {
            if (!save(audit, out + QStringLiteral("/audit.png")))
                exitCode = 1;
            app.exit(exitCode);
        });
    });
    QTimer::singleShot(30'000, &app, [&] {
        std::fprintf(stderr, "support-screenshots: timed out\n");
        app.exit(1);
    });
    users.showUser(*user);
    return app.exec();
}
