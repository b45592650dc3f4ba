#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace mc {

// What went wrong, in words an operator can act on. Errors cross layers as values, never as
// exceptions: the backends catch driver exceptions at their boundary and return one of these.
struct StoreError
{
    enum class Kind {
        Connection,     // server unreachable or the connection broke; retrying later may help
        Conflict,       // a stale version: someone else changed the row first
        SchemaMismatch, // the database's schema is not one this build can use
        NotFound,
        InvalidInput,   // the request itself is wrong (bad URL, bad percentage, empty reason, …)
        NothingToChange, // the change is already in place; nothing was written
        Permission,     // the database role may not do this
        Cancelled,
        Database,       // any other error the server reported
    };

    Kind kind = Kind::Database;
    QString message;
    QString sqlState; // SQLSTATE where the server gave one

    static StoreError make(Kind kind, QString message, QString sqlState = {})
    {
        return StoreError{kind, std::move(message), std::move(sqlState)};
    }
};

QString kindName(StoreError::Kind kind);

// A value or the error that prevented it.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) {}
    Result(StoreError error) : m_data(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const T &operator*() const { return value(); }

    const StoreError &error() const { return std::get<StoreError>(m_data); }

private:
    std::variant<T, StoreError> m_data;
};

struct Done
{
};

} // namespace mc
