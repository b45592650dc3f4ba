#pragma once

// A small parser for migctl's command line: subcommand words and --options, where a value is
// always the next argv element taken whole (so `--search --x` and `--reason "  "` mean what they
// say) or follows `=` in the same element. `--` ends the options.

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace mc::cli {

struct OptionSpec
{
    QString name;       // without the leading dashes
    QString valueName;  // empty for a switch
    bool repeatable = false;

    bool takesValue() const { return !valueName.isEmpty(); }
};

class ParsedArguments
{
public:
    const QStringList &positionals() const { return m_positionals; }
    QString positional(qsizetype index) const { return m_positionals.value(index); }

    bool has(const QString &option) const { return m_values.contains(option); }
    QString value(const QString &option) const; // the only value; empty when absent
    QStringList values(const QString &option) const;
    QStringList given() const { return m_order; } // option names, in the order first given

    // Usage error when an option was given that this command does not take.
    void allowOnly(const QString &command, const QStringList &options) const;
    // Usage error unless the number of positionals lies in [min, max].
    void expectPositionals(const QString &command, qsizetype min, qsizetype max) const;

private:
    friend class ArgumentParser;
    QStringList m_positionals;
    QHash<QString, QStringList> m_values;
    QStringList m_order;
};

class ArgumentParser
{
public:
    explicit ArgumentParser(QList<OptionSpec> options);

    // Throws CliError(Usage) for an unknown option, a missing value or a repeated option.
    ParsedArguments parse(const QStringList &arguments) const;

private:
    const OptionSpec *find(const QString &name) const;

    QList<OptionSpec> m_options;
};

} // namespace mc::cli
