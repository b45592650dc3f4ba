#pragma once

// How the store finds failed records by text (docs/SCHEMA.md, "Text search"): the exact condition,
// the same on both backends, and on MariaDB the trigram postings that lead to the candidates.
// PostgreSQL needs no help: its trigram index serves the condition itself.

#include "failures.h"
#include "sql/sql_connection.h"

namespace mc {

// The condition on alias f: the text is a substring of the error class, message or record id,
// ASCII letters in either case unless matchCase. Empty when the filter has no text.
QString searchCondition(sql::Backend backend, const FailureFilter &filter, QVariantList &params);

// The trigrams whose postings lead a MariaDB search, rarest first (at most three): the first is
// read in (failed_at, id) order, the others are probed. Empty on PostgreSQL, without a search, and
// for a short term (FailureFilter::searchScans).
QStringList searchLeads(sql::Connection &c, const FailureFilter &filter);

// FROM clause of a failures query: failed_records f, or led by the trigram postings g. Adds the
// conditions that tie g to the leads to where.
QString searchSource(const QStringList &leads, class Where &where, QVariantList &params);

// "%text%" for LIKE with '!' as the escape character.
QString likeContaining(const QString &text);
// A PCRE pattern matching text byte for byte, ASCII letters in either case (for a binary subject).
QString asciiCaselessPattern(const QString &text);

} // namespace mc
