#pragma once

// Finding and hiding the password in a database URL, whether or not the URL is valid.
//
// A password may hold characters a URL parser rejects (`{`, a lone `%`, `#`, `/`, `@`): the user
// information is found by hand — it ends at the last `@` of the authority — so that no text made
// from a malformed URL (an error, the recent list, a log line, a title) repeats its password.

#include <QString>

namespace mc {

struct UrlSecret
{
    QString withoutPassword; // the URL as typed, minus ":password"
    QString password;        // as typed (still percent-encoded); empty when there is none
    bool hasPassword = false;
};

// Where the user information of the URL starting at `from` (just after "://") ends: the index of
// its '@', or -1 when the URL names no user.
qsizetype userInfoEnd(const QString &url, qsizetype from);

// The URL without its password, and the password.
UrlSecret splitPassword(const QString &url);

// The URL with `password` (plain text) put in, percent-encoded; the URL must name no password.
QString withPassword(const QString &url, const QString &password);

// Any free text (an error, a log line) with the password of every URL in it, and of every
// `password=…` connection-string item, replaced by "***".
QString redactSecrets(const QString &text);

} // namespace mc
