#include "output.h"

#include <QJsonDocument>

#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace mc::cli {

void Output::write(std::FILE *stream, const QByteArray &data)
{
    if (!data.isEmpty())
        std::fwrite(data.constData(), 1, size_t(data.size()), stream);
}

void Output::print(const QString &text)
{
    write(stdout, text.toUtf8());
}

void Output::line(const QString &text)
{
    write(stdout, text.toUtf8() + '\n');
}

void Output::bytes(const QByteArray &data)
{
    write(stdout, data);
    std::fflush(stdout);
}

void Output::json(const QJsonObject &object)
{
    write(stdout, QJsonDocument(object).toJson(QJsonDocument::Indented));
}

void Output::json(const QJsonArray &array)
{
    write(stdout, QJsonDocument(array).toJson(QJsonDocument::Indented));
}

void Output::note(const QString &text)
{
    std::fflush(stdout);
    write(stderr, text.toUtf8() + '\n');
    std::fflush(stderr);
}

void Output::noteRaw(const QString &text)
{
    std::fflush(stdout);
    write(stderr, text.toUtf8());
    std::fflush(stderr);
}

bool Output::stdinIsTerminal()
{
#ifdef Q_OS_WIN
    return ::_isatty(0) != 0;
#else
    return ::isatty(STDIN_FILENO) == 1;
#endif
}

bool Output::stderrIsTerminal()
{
#ifdef Q_OS_WIN
    return ::_isatty(2) != 0;
#else
    return ::isatty(STDERR_FILENO) == 1;
#endif
}

} // namespace mc::cli
