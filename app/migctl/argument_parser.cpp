#include "argument_parser.h"

#include "cli_error.h"

#include <optional>

namespace mc::cli {

QString ParsedArguments::value(const QString &option) const
{
    const QStringList list = m_values.value(option);
    return list.isEmpty() ? QString() : list.last();
}

QStringList ParsedArguments::values(const QString &option) const
{
    return m_values.value(option);
}

void ParsedArguments::allowOnly(const QString &command, const QStringList &options) const
{
    static const QStringList global{QStringLiteral("db"), QStringLiteral("profile"),
                                    QStringLiteral("log-level")};
    for (const QString &name : m_order)
        if (!options.contains(name) && !global.contains(name))
            usageError(QStringLiteral("'%1' does not take --%2 (see migctl --help)")
                           .arg(command, name));
}

void ParsedArguments::expectPositionals(const QString &command, qsizetype min,
                                        qsizetype max) const
{
    const qsizetype count = m_positionals.size();
    if (count < min)
        usageError(QStringLiteral("'%1' is missing an argument (see migctl --help)").arg(command));
    if (count > max)
        usageError(QStringLiteral("'%1' does not take the argument \"%2\"")
                       .arg(command, m_positionals.at(max)));
}

ArgumentParser::ArgumentParser(QList<OptionSpec> options) : m_options(std::move(options)) {}

const OptionSpec *ArgumentParser::find(const QString &name) const
{
    for (const OptionSpec &spec : m_options)
        if (spec.name == name)
            return &spec;
    return nullptr;
}

ParsedArguments ArgumentParser::parse(const QStringList &arguments) const
{
    ParsedArguments parsed;
    bool optionsEnded = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (optionsEnded || argument == QLatin1String("-") || !argument.startsWith(QLatin1Char('-'))) {
            parsed.m_positionals << argument;
            continue;
        }
        if (argument == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        QString name;
        std::optional<QString> attached;
        if (argument == QLatin1String("-h")) {
            name = QStringLiteral("help");
        } else if (argument.startsWith(QLatin1String("--"))) {
            name = argument.mid(2);
            const qsizetype equals = name.indexOf(QLatin1Char('='));
            if (equals >= 0) {
                attached = name.mid(equals + 1);
                name.truncate(equals);
            }
        } else {
            usageError(QStringLiteral("unknown option \"%1\"").arg(argument));
        }
        const OptionSpec *spec = find(name);
        if (!spec)
            usageError(QStringLiteral("unknown option \"--%1\"").arg(name));
        QString value;
        if (spec->takesValue()) {
            if (attached) {
                value = *attached;
            } else if (i + 1 < arguments.size()) {
                value = arguments.at(++i);
            } else {
                usageError(QStringLiteral("--%1 needs a value (%2)").arg(name, spec->valueName));
            }
        } else if (attached) {
            usageError(QStringLiteral("--%1 takes no value").arg(name));
        }
        if (parsed.m_values.contains(name)) {
            if (!spec->repeatable)
                usageError(QStringLiteral("--%1 is given more than once").arg(name));
        } else {
            parsed.m_order << name;
        }
        parsed.m_values[name].append(value);
    }
    return parsed;
}

} // namespace mc::cli
