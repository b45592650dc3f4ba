// migration-console: the GUI. Parses the command line, sets up logging and wires the session
// (core/session) to the main window (widgets/).

#include "build_info.h"
#include "database.h"
#include "live_overview.h"
#include "logging.h"
#include "main_window.h"
#include "overview_page.h"
#include "screenshot.h"
#include "store_session.h"
#include "url_secret.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <optional>
#include <string_view>

namespace {

struct Options
{
    QString db;
    std::optional<QString> logLevel;
    QString range;
    QString screenshot;
    QSize size;
    int screenshotTimeout = 60;
};

// --help and --version print and quit without opening a display, so that they work over ssh and
// at build time (the manual page is made from --help).
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        for (const char *option : {"-h", "-?", "--help", "--help-all", "-v", "--version"})
            if (argument == option)
                return true;
    }
    return false;
}

// The value of --db, read before any display is opened.
std::optional<QString> dbArgument(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view argument = argv[i];
        if (argument == "--db" && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (argument.substr(0, 5) == "--db=")
            return QString::fromLocal8Bit(argument.substr(5).data());
    }
    return std::nullopt;
}

// A password on the command line is readable by every local user (ps, /proc): refused, before
// anything connects, with the ways that keep it secret.
bool refusesPasswordInArguments(int argc, char *argv[])
{
    const auto db = dbArgument(argc, argv);
    if (!db || !mc::splitPassword(*db).hasPassword)
        return false;
    const QString advice = QStringLiteral(
        "migration-console: refusing a password inside --db: every local user can read the "
        "command line.\n"
        "Give the URL without it, %1, and then either:\n"
        "  - set MC_DB_PASSWORD in the environment (PostgreSQL also reads PGPASSWORD and "
        "~/.pgpass),\n"
        "  - let the keychain remember it (File > Connect, a profile or the URL, \"Remember "
        "password\"): --db without a password then uses it, or\n"
        "  - type it when the console asks.\n")
                               .arg(mc::splitPassword(*db).withoutPassword);
    std::fputs(advice.toLocal8Bit().constData(), stderr);
    return true;
}

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("MigrationConsole"));
    QCoreApplication::setApplicationName(QStringLiteral("migration-console"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(mc::versionText()));
}

Options parse(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Watch and steer a live per-user data migration through its merge database."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Connect to this merge database: postgresql://… "
                                               "or mariadb://… (see the README)."),
                                QStringLiteral("url"));
    const QCommandLineOption logLevel(QStringLiteral("log-level"),
                                      QStringLiteral("trace, debug, info, warn, error or off "
                                                     "(default: $MIGRATION_CONSOLE_LOG or info)."),
                                      QStringLiteral("level"));
    const QCommandLineOption range(QStringLiteral("range"),
                                   QStringLiteral("The overview's time range: 15m, 1h, 6h, 24h "
                                                  "or 7d."),
                                   QStringLiteral("range"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save the window as PNG once the overview shows "
                                                 "data, then quit."),
                                  QStringLiteral("file"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1400x900."),
                            QStringLiteral("WxH"));
    QCommandLineOption timeout(QStringLiteral("screenshot-timeout"),
                               QStringLiteral("Seconds to wait for data (default 60)."),
                               QStringLiteral("seconds"));
    for (QCommandLineOption *hidden : {&screenshot, &size, &timeout})
        hidden->setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({db, logLevel, range, screenshot, size, timeout});
    parser.process(app);

    Options options;
    options.db = parser.value(db);
    if (parser.isSet(logLevel))
        options.logLevel = parser.value(logLevel);
    options.range = parser.value(range);
    options.screenshot = parser.value(screenshot);
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2)
        options.size = QSize(wh[0].toInt(), wh[1].toInt());
    if (parser.isSet(timeout))
        options.screenshotTimeout = std::max(1, parser.value(timeout).toInt());
    return options;
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        nameApplication();
        parse(app); // prints the help or the version and exits
        std::fputs("migration-console: --help and --version are not option values\n", stderr);
        return 2;
    }
    if (refusesPasswordInArguments(argc, argv))
        return 2;
    QApplication app(argc, argv);
    nameApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Migration Console"));
    // The desktop entry and the icon in the hicolor theme are both named by the application id.
    QApplication::setDesktopFileName(QString::fromLatin1(mc::applicationId()));
    QApplication::setWindowIcon(QIcon::fromTheme(QString::fromLatin1(mc::applicationId())));
    const Options options = parse(app);
    mc::initLogging(QStringLiteral("migration-console"), options.logLevel);

    // A screenshot run leaves the operator's settings (window layout, recent URLs) alone.
    QTemporaryDir scratchSettings;
    if (!options.screenshot.isEmpty()) {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratchSettings.path());
    }

    mc::Database database;
    mc::LiveOverview live(database.polling());
    mc::widgets::MainWindow window(&database, &live);
    window.restoreSettings();
    if (!options.range.isEmpty()) {
        if (auto range = mc::TimeRange::fromLabel(options.range))
            live.setRange(*range);
        else
            qWarning("unknown --range %s: use 15m, 1h, 6h, 24h or 7d", qPrintable(options.range));
    }
    if (options.size.isValid())
        window.resize(options.size);
    window.show();

    std::unique_ptr<Screenshot> screenshot;
    if (!options.screenshot.isEmpty())
        screenshot = std::make_unique<Screenshot>(&window, database.polling(), &live, options.screenshot,
                                                  options.screenshotTimeout);
    const QString password = qEnvironmentVariable("MC_DB_PASSWORD");
    if (!options.db.isEmpty() && !password.isEmpty())
        window.connectTo(mc::withPassword(options.db, password));
    else if (!options.db.isEmpty())
        window.connectRemembering(options.db); // a password the keychain remembers, if any
    else if (options.screenshot.isEmpty())
        QTimer::singleShot(0, &window, &mc::widgets::MainWindow::askForConnection);
    return app.exec();
}
