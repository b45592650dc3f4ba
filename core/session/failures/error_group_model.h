#pragma once

// The error groups as a table: fingerprint (error class + normalised message) → failures,
// unresolved, first and last seen, models affected; most failures first, as the store orders them.

#include "failures.h"

#include <QAbstractTableModel>

namespace mc {

class ErrorGroupModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { ErrorClass, Pattern, Failures, Unresolved, FirstSeen, LastSeen, Models,
                  ColumnCount };
    enum Role {
        FingerprintRole = Qt::UserRole,
        SortRole, // the raw value
    };

    explicit ErrorGroupModel(QObject *parent = nullptr);

    void setGroups(const QList<ErrorGroup> &groups);
    const QList<ErrorGroup> &groups() const { return m_groups; }
    const ErrorGroup &groupAt(int row) const { return m_groups[row]; }
    int rowOfFingerprint(const QString &fingerprint) const; // -1 when absent
    std::optional<ErrorGroup> group(const QString &fingerprint) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<ErrorGroup> m_groups;
};

} // namespace mc
