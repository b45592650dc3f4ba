#pragma once

// Where migctl writes: results to stdout (text, JSON or raw bytes), everything else — notes,
// prompts, progress, errors — to stderr, so that `migctl … --json | jq` sees only the result.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <cstdio>

namespace mc::cli {

class Output
{
public:
    void print(const QString &text);          // stdout, UTF-8, as given
    void line(const QString &text = {});      // stdout, with a newline
    void bytes(const QByteArray &data);       // stdout, byte for byte (payloads)
    void json(const QJsonObject &object);     // stdout, indented, with a newline
    void json(const QJsonArray &array);

    void note(const QString &text);           // stderr, with a newline
    void noteRaw(const QString &text);        // stderr as given, flushed (prompts, progress)

    static bool stdinIsTerminal();
    static bool stderrIsTerminal();

private:
    static void write(std::FILE *stream, const QByteArray &data);
};

} // namespace mc::cli
