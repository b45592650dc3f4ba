#pragma once

// What every command works with: its parsed arguments, the output, and the merge store, opened
// on first use from --db or MIGCTL_DB.

#include "argument_parser.h"
#include "merge_store.h"
#include "output.h"

#include <memory>

namespace mc::cli {

class CommandContext
{
public:
    CommandContext(ParsedArguments arguments, Output &out);
    ~CommandContext();

    const ParsedArguments &args() const { return m_arguments; }
    Output &out() { return m_out; }
    bool json() const { return m_arguments.has(QStringLiteral("json")); }

    // Opens the store on first use; a missing URL is a usage error, a failed connect an error.
    MergeStore &store();

    // What the login may do (read once). requireAccess refuses (exit 4) before anything is
    // touched when the login's role does not allow the action, with the console's words.
    const RoleAccess &access();
    void requireAccess(RoleAction action);

    // --reason, required for writes: present and not blank (usage error otherwise).
    QString reason() const;
    // --expect-version V when given.
    std::optional<qint64> expectVersion() const;

    // The models the database knows, to map --model NAME to an id (usage error when unknown).
    int modelId(const QString &name);

private:
    ParsedArguments m_arguments;
    Output &m_out;
    std::unique_ptr<MergeStore> m_store;
    std::optional<RoleAccess> m_access;
};

} // namespace mc::cli
