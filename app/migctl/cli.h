#pragma once

// migctl's entry: parses the command line, sets up logging, runs one command and turns what
// happened into an exit code and, on failure, one `migctl: …` line on stderr.

#include "cli_error.h"

#include <QStringList>

namespace mc::cli {

class Output;

class Cli
{
public:
    explicit Cli(Output &out) : m_out(out) {}

    // arguments without the program name
    ExitCode run(const QStringList &arguments);

private:
    ExitCode dispatch(const QStringList &arguments);

    Output &m_out;
};

} // namespace mc::cli
