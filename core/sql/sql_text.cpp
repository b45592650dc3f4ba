// Driver-neutral SQL text helpers: portable token expansion, placeholder rewriting and the
// typed accessors of Rows.

#include "sql_connection.h"

#include <QStringDecoder>

namespace mc::sql {

namespace {

bool startsWithAt(QStringView text, qsizetype pos, QStringView prefix)
{
    return text.size() - pos >= prefix.size() && text.mid(pos, prefix.size()) == prefix;
}

bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

// Returns the index just past the quoted section that opens at `pos` (text[pos] is the quote).
// A doubled quote is an escaped quote; with `backslashEscapes` a backslash escapes the next
// character. An unterminated section runs to the end of the text.
qsizetype skipQuoted(QStringView text, qsizetype pos, bool backslashEscapes)
{
    const QChar quote = text[pos];
    qsizetype i = pos + 1;
    while (i < text.size()) {
        const QChar c = text[i];
        if (backslashEscapes && c == u'\\') {
            i += 2;
            continue;
        }
        if (c == quote) {
            if (i + 1 < text.size() && text[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return text.size();
}

// If a comment starts at `pos`, returns the index just past it; otherwise returns `pos`.
qsizetype skipComment(QStringView text, qsizetype pos)
{
    if (startsWithAt(text, pos, u"--")) {
        const qsizetype end = text.indexOf(u'\n', pos);
        return end < 0 ? text.size() : end + 1;
    }
    if (startsWithAt(text, pos, u"/*")) {
        const qsizetype end = text.indexOf(u"*/", pos + 2);
        return end < 0 ? text.size() : end + 2;
    }
    return pos;
}

// PostgreSQL E'…' strings allow backslash escapes; plain '…' strings do not.
bool isEscapeStringStart(QStringView text, qsizetype pos)
{
    if (pos == 0 || (text[pos - 1] != u'E' && text[pos - 1] != u'e'))
        return false;
    return pos == 1 || !isIdentifierChar(text[pos - 2]);
}

// Index of the '}' closing the token that opens at `pos`, or -1.
qsizetype matchingBrace(QStringView text, qsizetype pos)
{
    int depth = 0;
    qsizetype i = pos;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'\'' || c == u'"') {
            i = skipQuoted(text, i, c == u'\'' && isEscapeStringStart(text, i));
            continue;
        }
        const qsizetype afterComment = skipComment(text, i);
        if (afterComment != i) {
            i = afterComment;
            continue;
        }
        if (c == u'{') {
            ++depth;
        } else if (c == u'}') {
            if (--depth == 0)
                return i;
        }
        ++i;
    }
    return -1;
}

QString wrapMilliseconds(Backend backend, const QString &expr)
{
    if (backend == Backend::PostgreSQL)
        return QStringLiteral("(EXTRACT(EPOCH FROM (%1))*1000)::BIGINT").arg(expr);
    return QStringLiteral("CAST(TIMESTAMPDIFF(MICROSECOND, TIMESTAMP'1970-01-01 00:00:00', (%1))"
                          " DIV 1000 AS SIGNED)")
        .arg(expr);
}

QString wrapTimestamp(Backend backend, const QString &expr)
{
    if (backend == Backend::PostgreSQL)
        return QStringLiteral("(TIMESTAMPTZ 'epoch' + (%1)::BIGINT * INTERVAL '1 millisecond')")
            .arg(expr);
    return QStringLiteral("(TIMESTAMP'1970-01-01 00:00:00' + INTERVAL ((%1) * 1000) MICROSECOND)")
        .arg(expr);
}

QString expand(Backend backend, QStringView sql)
{
    QString out;
    out.reserve(sql.size() + 64);
    qsizetype i = 0;
    while (i < sql.size()) {
        const QChar c = sql[i];
        if (c == u'\'' || c == u'"') {
            const qsizetype end = skipQuoted(sql, i, c == u'\'' && isEscapeStringStart(sql, i));
            out += sql.mid(i, end - i);
            i = end;
            continue;
        }
        const qsizetype afterComment = skipComment(sql, i);
        if (afterComment != i) {
            out += sql.mid(i, afterComment - i);
            i = afterComment;
            continue;
        }
        const bool ms = startsWithAt(sql, i, u"{ms:");
        if (ms || startsWithAt(sql, i, u"{ts:")) {
            const qsizetype end = matchingBrace(sql, i);
            if (end < 0) {
                throw DbError(DbError::Kind::Syntax,
                              "unterminated " + sql.mid(i, 4).toString().toStdString()
                                  + "…} token in SQL");
            }
            const QString inner = expand(backend, sql.mid(i + 4, end - i - 4));
            out += ms ? wrapMilliseconds(backend, inner) : wrapTimestamp(backend, inner);
            i = end + 1;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

} // namespace

QString expandTokens(Backend backend, const QString &sql)
{
    if (!sql.contains(u'{'))
        return sql;
    return expand(backend, sql);
}

namespace {

// Copies sql, replacing each $N placeholder outside quotes and comments with replace(N - 1).
// MariaDB quoting: '…' strings take backslash escapes (no NO_BACKSLASH_ESCAPES in the session's
// sql_mode), "…" (ANSI_QUOTES) and `…` are identifiers. PostgreSQL: only E'…' strings take
// backslash escapes, "…" are identifiers.
template<typename Replace>
QString rewritePlaceholders(Backend backend, const QString &sql, Replace &&replace)
{
    const bool maria = backend == Backend::MariaDB;
    const QStringView text(sql);
    QString out;
    out.reserve(sql.size());
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'\'' || c == u'"' || (maria && c == u'`')) {
            const bool escapes = c == u'\'' && (maria || isEscapeStringStart(text, i));
            const qsizetype end = skipQuoted(text, i, escapes);
            out += text.mid(i, end - i);
            i = end;
            continue;
        }
        const qsizetype afterComment = skipComment(text, i);
        if (afterComment != i) {
            out += text.mid(i, afterComment - i);
            i = afterComment;
            continue;
        }
        if (c == u'$' && (i == 0 || !isIdentifierChar(text[i - 1]))) {
            qsizetype j = i + 1;
            qint64 number = 0;
            while (j < text.size() && text[j].isDigit() && j - i <= 9) {
                number = number * 10 + text[j].digitValue();
                ++j;
            }
            const bool endsHere = j >= text.size() || !text[j].isDigit();
            if (j > i + 1 && number >= 1 && endsHere) {
                out += replace(int(number - 1));
                i = j;
                continue;
            }
        }
        out += c;
        ++i;
    }
    return out;
}

} // namespace

QString positionalPlaceholders(const QString &sql, std::vector<int> *order)
{
    return rewritePlaceholders(Backend::MariaDB, sql, [order](int index) {
        if (order)
            order->push_back(index);
        return QStringLiteral("?");
    });
}

QString inlineParameters(Backend backend, const QString &sql,
                         const std::vector<std::string> &literals)
{
    return rewritePlaceholders(backend, sql, [&literals](int index) {
        if (size_t(index) >= literals.size())
            throw DbError(DbError::Kind::Other,
                          "missing value for parameter $" + std::to_string(index + 1));
        return QString::fromStdString(literals[size_t(index)]);
    });
}

QString Rows::text(int row, int column) const
{
    const QByteArrayView value = view(row, column);
    if (!value.startsWith("\xEF\xBB\xBF"))
        return QString::fromUtf8(value);
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
    return decode(value);
}

bool Rows::boolean(int row, int column) const
{
    const QByteArray value = view(row, column).toByteArray().trimmed().toLower();
    if (value == "t" || value == "true" || value == "y" || value == "yes" || value == "on")
        return true;
    bool ok = false;
    const qlonglong number = value.toLongLong(&ok);
    return ok && number != 0;
}

std::optional<qint64> Rows::optionalInt64(int row, int column) const
{
    if (isNull(row, column))
        return std::nullopt;
    return int64(row, column);
}

} // namespace mc::sql
