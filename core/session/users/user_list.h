#pragma once

// A pasted list of users: one per line, "portal:id" or a bare id of the chosen portal. Every line
// is accounted for: a user, a duplicate of an earlier line, blank, or rejected with the reason.

#include "domain.h"

#include <QList>

#include <vector>

namespace mc {

struct UserListLine
{
    enum class Kind { User, Duplicate, Blank, Invalid };
    int number = 0; // 1-based line number in the pasted text
    QString text;   // the line as pasted, trimmed
    Kind kind = Kind::Blank;
    std::optional<UserKey> user; // for User and Duplicate
    QString problem;             // for Invalid: what is wrong, in words
};

struct UserList
{
    QList<UserListLine> lines;  // every line of the text, in order
    std::vector<UserKey> users; // the distinct users, in the order first listed

    int count(UserListLine::Kind kind) const;
    QList<UserListLine> invalidLines() const;
    QString summary() const; // "3 users, 1 duplicate, 1 invalid line"
};

// `defaultPortal` is used for bare ids; when it is empty a bare id is invalid. Lines starting
// with '#' are comments and count as blank. Portal codes are letters, digits, '_' and '-'; ids are
// whole numbers from 1 up.
UserList parseUserList(const QString &text, const QString &defaultPortal);

// One user typed into the find fields: the same rules as one line of a list.
std::optional<UserKey> parseUserInput(const QString &portal, const QString &id,
                                      QString *problem = nullptr);

} // namespace mc
