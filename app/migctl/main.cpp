// migctl: the command-line twin of the Migration Console, for support scripts and tests.

#include "cli.h"
#include "output.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cstdio>

namespace {

// The arguments exactly as given. QCoreApplication::arguments() drops a byte order mark at the
// start of an argument, which would change a search text or a reason that begins with U+FEFF.
QStringList exactArguments(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i) {
        QStringDecoder utf8(QStringConverter::Utf8, QStringConverter::Flag::ConvertInitialBom);
        arguments << QString(utf8(QByteArrayView(argv[i])));
    }
    return arguments;
}

} // namespace

int main(int argc, char *argv[])
{
    const QStringList arguments = exactArguments(argc, argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("migctl"));
    mc::cli::Output out;
    mc::cli::Cli cli(out);
    const mc::cli::ExitCode code = cli.run(arguments);
    std::fflush(stdout);
    return int(code);
}
