#pragma once

// The Failures page's filter: model, error class, portal, time range (since / until), free text in
// the error class, message or record id (Match case, or ASCII letters in either case), include
// resolved, and the error group chosen in the groups panel; with the count
// of what the filter selects. Choices apply at once; typed text after a pause (Enter applies it
// at once). The server applies the filter: this bar only says what it is.

#include "failures.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace mc::widgets {

class FailureFilterBar : public QWidget
{
    Q_OBJECT

public:
    static constexpr int kTypingPauseMs = 300;

    explicit FailureFilterBar(QWidget *parent = nullptr);

    FailureFilter filter() const { return m_filter; }
    // Shows this filter in the controls, adding choices the catalogue does not have yet. Only
    // the operator's changes emit filterChanged; the caller applies a filter it sets itself.
    void setFilter(const FailureFilter &filter);

    // The choices: models (id, name), error classes and portals the database knows.
    void setModels(const QList<QPair<int, QString>> &models);
    void setErrorClasses(const QStringList &classes);
    void setPortals(const QStringList &portals);
    // The chosen group in words ("Timeout: connect to * timed out"); shown while the filter has
    // a fingerprint.
    void setGroupDescription(const QString &text);
    void setCountText(const QString &text);
    // Offers Stop beside the count while a count or a scan is slow.
    void setStoppable(bool stoppable);

    QComboBox *modelBox() const { return m_model; }
    QComboBox *errorClassBox() const { return m_errorClass; }
    QComboBox *portalBox() const { return m_portal; }
    QCheckBox *sinceCheck() const { return m_sinceOn; }
    QDateTimeEdit *sinceEdit() const { return m_since; }
    QCheckBox *untilCheck() const { return m_untilOn; }
    QDateTimeEdit *untilEdit() const { return m_until; }
    QLineEdit *textEdit() const { return m_text; }
    QCheckBox *matchCaseBox() const { return m_matchCase; }
    QCheckBox *includeResolvedBox() const { return m_includeResolved; }
    QLabel *countLabel() const { return m_count; }
    QToolButton *stopButton() const { return m_stop; }
    QWidget *groupChip() const { return m_groupChip; }
    QLabel *groupLabel() const { return m_groupLabel; }
    QToolButton *clearGroupButton() const { return m_clearGroup; }
    QToolButton *clearAllButton() const { return m_clearAll; }

signals:
    void filterChanged(const mc::FailureFilter &filter);
    void stopRequested();

private:
    QWidget *createGroupChip();
    void readControls(); // the controls → m_filter, and filterChanged when it changed
    void showFilter();   // m_filter → the controls, without signals
    void showChoices();  // m_filter → the three choice boxes only
    void showGroup();
    static void selectData(QComboBox *box, const QVariant &data, const QString &text);

    FailureFilter m_filter;
    QString m_groupText;
    QComboBox *m_model;
    QComboBox *m_errorClass;
    QComboBox *m_portal;
    QCheckBox *m_sinceOn;
    QDateTimeEdit *m_since;
    QCheckBox *m_untilOn;
    QDateTimeEdit *m_until;
    QLineEdit *m_text;
    QCheckBox *m_matchCase;
    QTimer *m_typing;
    QCheckBox *m_includeResolved;
    QLabel *m_count;
    QToolButton *m_stop;
    QWidget *m_groupChip = nullptr;
    QLabel *m_groupLabel = nullptr;
    QToolButton *m_clearGroup = nullptr;
    QToolButton *m_clearAll;
};

bool sameFilter(const FailureFilter &a, const FailureFilter &b);

} // namespace mc::widgets
