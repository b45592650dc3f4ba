#pragma once

// Failed records: the filter QA narrows them by, keyset pages, detail with payload, error groups.

#include "domain.h"

namespace mc {

struct FailureFilter
{
    std::optional<int> modelId;
    QString errorClass;  // exact, empty for any
    QString portal;      // exact, empty for any
    std::optional<EpochMs> since; // inclusive
    std::optional<EpochMs> until; // exclusive
    // A literal substring of the error class, message or record id; empty for any. Without
    // matchCase, ASCII letters match either case and every other character only itself, the
    // same on both backends (docs/SCHEMA.md, "Text search").
    QString searchText;
    bool matchCase = false;
    QString fingerprint; // one error group, empty for any
    bool includeResolved = false;

    bool isEmpty() const;
    QString describe() const; // the filter in words, for confirmations and audit
    // The search text has no run of three ASCII letters or digits, the grain of the search
    // index: the search reads every record the other conditions leave ("short term").
    bool searchScans() const;
};

// The distinct runs of three ASCII letters or digits in text, folded to lower case: what the
// search index is keyed by.
QStringList searchTrigrams(const QString &text);

// Keyset position: the last row of the previous page in (failed_at desc, id desc) order.
struct FailureCursor
{
    EpochMs failedAt = 0;
    qint64 id = 0;

    QString encode() const; // "failedAtMs.id": opaque to users, stable for scripts
    static std::optional<FailureCursor> decode(const QString &text);
};

struct FailureRow
{
    qint64 id = 0;
    EpochMs failedAt = 0;
    UserKey user;
    int modelId = 0;
    QString model;
    QString recordId;
    QString phase;
    QString errorClass;
    QString messageExcerpt; // the first line, at most 200 characters
    int attempt = 0;
    qint64 payloadSize = 0;
    QString resolution; // empty, "retried", "ignored" or "resolved"
};

struct FailurePage
{
    QList<FailureRow> rows;
    std::optional<FailureCursor> next; // absent on the last page
};

struct FailureDetail
{
    FailureRow row;
    QString message;
    QString backtrace;
    QByteArray payload; // exactly as the serializer wrote it
    QString contentType;
    QString fingerprint;
    QString resolvedBy;
    std::optional<EpochMs> resolvedAt;
};

struct ErrorGroup
{
    QString fingerprint;
    QString errorClass;
    QString messagePattern; // the message with numbers and quoted values normalised
    qint64 failures = 0;
    qint64 unresolved = 0;
    EpochMs firstSeen = 0;
    EpochMs lastSeen = 0;
    QStringList models;
};

} // namespace mc
