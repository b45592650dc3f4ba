#pragma once

// One user's dossier: status, phase, times and duration, attempts and last error at the top;
// below, tabs with the timeline (where recorded), per-model progress, the failed records and the
// id mappings. Activating a failed record asks for its payload viewer.

#include "operations.h"
#include "user_history.h"

#include <QWidget>

class QLabel;
class QAbstractItemModel;
class QFrame;
class QTabWidget;
class QTableView;

namespace mc {
class IdMappingsModel;
class ModelProgressModel;
class UserFailuresModel;
class UserTimelineModel;
}

namespace mc::widgets {

class StatusBadge;

class UserDossierView : public QWidget
{
    Q_OBJECT

public:
    explicit UserDossierView(QWidget *parent = nullptr);

    void showDossier(const UserDossier &dossier);
    // The retries the audit log records for the user shown; a separate, slower read.
    void showHistory(const UserHistory &history);
    void showHistoryError(const QString &message);
    void clear();
    // Puts the caller's buttons (retry, reload) in the header's top right corner.
    void setActions(QWidget *actions);

    bool hasDossier() const { return m_dossier.has_value(); }
    const std::optional<UserDossier> &dossier() const { return m_dossier; }

    StatusBadge *statusBadge() const { return m_status; }
    QLabel *field(const QString &name) const; // "user", "phase", "attempts", "lastError", …
    QTabWidget *tabs() const { return m_tabs; }
    QTableView *timelineTable() const { return m_timelineTable; }
    QTableView *progressTable() const { return m_progressTable; }
    QTableView *failuresTable() const { return m_failuresTable; }
    QTableView *mappingsTable() const { return m_mappingsTable; }
    QLabel *historyNote() const { return m_historyNote; }

signals:
    void failureRequested(qint64 failureId);

private:
    QWidget *createHeader();
    QWidget *createTimelineTab();
    QTableView *createTable(QAbstractItemModel *model, const QString &objectName);
    QLabel *addField(const QString &name, const QString &label, int row, int column);
    void showTimes(const UserMigration &m);
    void updateTabTitles();
    void updateTimeline();

    std::optional<UserDossier> m_dossier;
    QList<AuditEntry> m_retries;
    StatusBadge *m_status;
    QFrame *m_header = nullptr;
    QHash<QString, QLabel *> m_fields;
    QTabWidget *m_tabs;
    UserTimelineModel *m_timeline;
    ModelProgressModel *m_progress;
    UserFailuresModel *m_failures;
    IdMappingsModel *m_mappings;
    QTableView *m_timelineTable = nullptr;
    QTableView *m_progressTable = nullptr;
    QTableView *m_failuresTable = nullptr;
    QTableView *m_mappingsTable = nullptr;
    QLabel *m_historyNote = nullptr;
};

} // namespace mc::widgets
