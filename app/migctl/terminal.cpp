#include "terminal.h"

#include "cli_error.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace mc::cli {

namespace {

std::atomic_bool g_cancel{false};
volatile std::sig_atomic_t g_interrupts = 0;
#ifdef Q_OS_WIN
void (*g_previous)(int) = SIG_DFL;
#else
struct sigaction g_previous;
#endif

// Async-signal-safe only: an atomic store, write(2) and _Exit.
void onInterrupt(int)
{
    g_interrupts = g_interrupts + 1;
    if (g_interrupts >= 2)
        std::_Exit(130);
    g_cancel.store(true);
    static const char message[] =
        "\nmigctl: cancelling after the current batch (Ctrl-C again to quit now)\n";
#ifdef Q_OS_WIN
    std::signal(SIGINT, onInterrupt); // Windows resets the handler after each signal
    [[maybe_unused]] const int written = ::_write(2, message, unsigned(sizeof message - 1));
#else
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message, sizeof message - 1);
#endif
}

} // namespace

void confirmOrRefuse(Output &out, const QString &question, bool assumeYes)
{
    if (assumeYes)
        return;
    if (!Output::stdinIsTerminal())
        fail(ExitCode::Refused,
             QStringLiteral("not confirmed: stdin is not a terminal, so migctl cannot ask "
                            "\"%1\"; pass --yes to confirm. Nothing was changed.")
                 .arg(question));
    out.noteRaw(question + QStringLiteral(" [y/N] "));
    std::string answer;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        answer.push_back(char(c));
    const QString reply = QString::fromStdString(answer).trimmed().toLower();
    if (reply != QLatin1String("y") && reply != QLatin1String("yes"))
        fail(ExitCode::Refused, QStringLiteral("not confirmed; nothing was changed."));
}

ProgressLine::ProgressLine(Output &out) : m_out(out), m_enabled(Output::stderrIsTerminal()) {}

ProgressLine::~ProgressLine()
{
    finish();
}

void ProgressLine::show(const QString &text)
{
    if (!m_enabled)
        return;
    m_out.noteRaw(QStringLiteral("\r\x1b[K") + text);
    m_drawn = true;
}

void ProgressLine::finish()
{
    if (m_drawn)
        m_out.noteRaw(QStringLiteral("\n"));
    m_drawn = false;
}

InterruptGuard::InterruptGuard()
{
    g_cancel.store(false);
    g_interrupts = 0;
#ifdef Q_OS_WIN
    g_previous = std::signal(SIGINT, onInterrupt);
#else
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    action.sa_flags = SA_RESTART; // a query in flight finishes; the flag is read after it
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &g_previous);
#endif
}

InterruptGuard::~InterruptGuard()
{
#ifdef Q_OS_WIN
    std::signal(SIGINT, g_previous);
#else
    ::sigaction(SIGINT, &g_previous, nullptr);
#endif
}

const std::atomic_bool *InterruptGuard::cancelFlag() const
{
    return &g_cancel;
}

bool InterruptGuard::interrupted() const
{
    return g_cancel.load();
}

} // namespace mc::cli
