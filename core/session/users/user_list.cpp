#include "user_list.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

namespace mc {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mc::UserList", text);
}

bool isPortalCode(const QString &code)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
    return pattern.match(code).hasMatch();
}

// A positive whole number in plain decimal digits: no sign, no spaces, no exponent.
std::optional<qint64> parseId(const QString &text)
{
    if (text.isEmpty() || text.size() > 19)
        return std::nullopt;
    for (QChar c : text)
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        return std::nullopt;
    return id;
}

std::optional<UserKey> parseLine(const QString &line, const QString &defaultPortal,
                                 QString *problem)
{
    QString portal = defaultPortal.trimmed();
    QString id = line;
    const qsizetype colon = line.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        portal = line.left(colon).trimmed();
        id = line.mid(colon + 1).trimmed();
        if (portal.isEmpty()) {
            *problem = tr("no portal before ':'");
            return std::nullopt;
        }
    } else if (portal.isEmpty()) {
        *problem = tr("a bare id, but no portal is chosen");
        return std::nullopt;
    }
    if (!isPortalCode(portal)) {
        *problem = tr("'%1' is not a portal code").arg(portal.left(40));
        return std::nullopt;
    }
    const std::optional<qint64> userId = parseId(id);
    if (!userId) {
        *problem = id.isEmpty() ? tr("no user id") : tr("'%1' is not a user id").arg(id.left(40));
        return std::nullopt;
    }
    return UserKey{portal, *userId};
}

} // namespace

int UserList::count(UserListLine::Kind kind) const
{
    int n = 0;
    for (const UserListLine &line : lines)
        n += line.kind == kind ? 1 : 0;
    return n;
}

QList<UserListLine> UserList::invalidLines() const
{
    QList<UserListLine> invalid;
    for (const UserListLine &line : lines)
        if (line.kind == UserListLine::Kind::Invalid)
            invalid.append(line);
    return invalid;
}

QString UserList::summary() const
{
    QStringList parts;
    const int n = int(users.size());
    parts << (n == 1 ? tr("1 user") : tr("%1 users").arg(n));
    if (const int duplicates = count(UserListLine::Kind::Duplicate))
        parts << (duplicates == 1 ? tr("1 duplicate") : tr("%1 duplicates").arg(duplicates));
    if (const int invalid = count(UserListLine::Kind::Invalid))
        parts << (invalid == 1 ? tr("1 invalid line") : tr("%1 invalid lines").arg(invalid));
    return parts.join(QStringLiteral(", "));
}

UserList parseUserList(const QString &text, const QString &defaultPortal)
{
    UserList list;
    QSet<QString> seen;
    const QStringList rawLines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < rawLines.size(); ++i) {
        UserListLine line;
        line.number = i + 1;
        line.text = rawLines[i].trimmed();
        if (line.text.isEmpty() || line.text.startsWith(QLatin1Char('#'))) {
            line.kind = UserListLine::Kind::Blank;
            // A trailing newline is not a line of its own.
            if (i + 1 == rawLines.size() && line.text.isEmpty())
                break;
        } else if (auto user = parseLine(line.text, defaultPortal, &line.problem)) {
            line.user = user;
            const QString key = user->toString();
            line.kind = seen.contains(key) ? UserListLine::Kind::Duplicate
                                           : UserListLine::Kind::User;
            if (line.kind == UserListLine::Kind::User) {
                seen.insert(key);
                list.users.push_back(*user);
            }
        } else {
            line.kind = UserListLine::Kind::Invalid;
        }
        list.lines.append(line);
    }
    return list;
}

std::optional<UserKey> parseUserInput(const QString &portal, const QString &id, QString *problem)
{
    QString ignored;
    QString *out = problem ? problem : &ignored;
    const QString trimmedId = id.trimmed();
    if (trimmedId.contains(QLatin1Char(':')))
        return parseLine(trimmedId, portal, out);
    if (portal.trimmed().isEmpty()) {
        *out = tr("choose a portal");
        return std::nullopt;
    }
    return parseLine(trimmedId, portal, out);
}

} // namespace mc
