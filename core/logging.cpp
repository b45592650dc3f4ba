#include "logging.h"

#include "url_secret.h"

#include <QDir>
#include <QStandardPaths>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace mc {

namespace {

std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;
QString g_logFile;

// Passes every message on with the password of any database URL in it masked: whoever logs a
// URL or a driver's error, no secret reaches stderr or the log file.
class RedactingSink final : public spdlog::sinks::sink
{
public:
    explicit RedactingSink(spdlog::sink_ptr inner) : m_inner(std::move(inner)) {}

    void log(const spdlog::details::log_msg &message) override
    {
        const QString text = QString::fromUtf8(message.payload.data(),
                                               qsizetype(message.payload.size()));
        const QString clean = redactSecrets(text);
        if (clean == text) {
            m_inner->log(message);
            return;
        }
        const std::string bytes = clean.toStdString();
        spdlog::details::log_msg copy = message;
        copy.payload = spdlog::string_view_t(bytes.data(), bytes.size());
        m_inner->log(copy);
    }
    void flush() override { m_inner->flush(); }
    void set_pattern(const std::string &pattern) override { m_inner->set_pattern(pattern); }
    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override
    {
        m_inner->set_formatter(std::move(formatter));
    }

private:
    spdlog::sink_ptr m_inner;
};

spdlog::sink_ptr redacting(spdlog::sink_ptr sink)
{
    return std::make_shared<RedactingSink>(std::move(sink));
}

std::shared_ptr<spdlog::logger> makeStderrLogger()
{
    auto sink = redacting(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    auto logger = std::make_shared<spdlog::logger>("mc", sink);
    logger->set_level(spdlog::level::warn);
    return logger;
}

} // namespace

std::shared_ptr<spdlog::logger> log()
{
    std::lock_guard lock(g_mutex);
    if (!g_logger)
        g_logger = makeStderrLogger();
    return g_logger;
}

LoggingSetup initLogging(const QString &appName, const std::optional<QString> &level)
{
    QString wanted = level.value_or(qEnvironmentVariable("MIGRATION_CONSOLE_LOG"));
    if (wanted.isEmpty())
        wanted = QStringLiteral("info");
    const auto parsed = spdlog::level::from_str(wanted.toLower().toStdString());
    // from_str answers "off" for anything it does not know; only honour "off" when asked for.
    const auto applied = (parsed == spdlog::level::off && wanted.toLower() != QLatin1String("off"))
                             ? spdlog::level::info
                             : parsed;

    std::lock_guard lock(g_mutex);
    if (!g_logger || g_logFile.isEmpty()) {
        std::vector<spdlog::sink_ptr> sinks;
        sinks.push_back(redacting(std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                            + QStringLiteral("/migration-console/logs");
        if (QDir().mkpath(dir)) {
            const QString file = dir + QLatin1Char('/') + appName + QStringLiteral(".log");
            try {
                sinks.push_back(redacting(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                    file.toStdString(), 5 * 1024 * 1024, 3)));
                g_logFile = file;
            } catch (const spdlog::spdlog_ex &) {
                g_logFile.clear();
            }
        }
        g_logger = std::make_shared<spdlog::logger>("mc", sinks.begin(), sinks.end());
        g_logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] %v");
        g_logger->flush_on(spdlog::level::warn);
    }
    g_logger->set_level(applied);
    const auto name = spdlog::level::to_string_view(applied);
    return LoggingSetup{QString::fromUtf8(name.data(), qsizetype(name.size())), g_logFile};
}

} // namespace mc
