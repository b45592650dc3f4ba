#pragma once

// The detail of the failed record the operator is on: error class, message and backtrace
// (monospace, selectable, copyable), the record's facts (user, model, record id, phase, attempt,
// payload size, resolution with who and when) and its payload in the payload viewer (pretty JSON,
// tree, raw, hex; large payloads load on request).

#include "failures.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSplitter;

namespace mc::widgets {

class PayloadViewer;

class FailureDetailPane : public QWidget
{
    Q_OBJECT

public:
    explicit FailureDetailPane(QWidget *parent = nullptr);

    void showDetail(const FailureDetail &detail);
    void showLoading(const FailureRow &row); // the row's facts now, the rest when it arrives
    void showNothing(const QString &why);
    std::optional<FailureDetail> detail() const { return m_detail; }

    QLabel *errorClassLabel() const { return m_errorClass; }
    QLabel *factsLabel() const { return m_facts; }
    QPlainTextEdit *messageView() const { return m_message; }
    QPlainTextEdit *backtraceView() const { return m_backtrace; }
    QLabel *payloadCaption() const { return m_payloadCaption; }
    QWidget *payloadArea() const { return m_payloadArea; }
    PayloadViewer *payloadViewer() const { return m_payload; }
    QLabel *userLink() const { return m_userLink; }

    static QString sizeText(qint64 bytes);

signals:
    void userRequested(const mc::UserKey &user);

private:
    QWidget *section(const QString &title, QWidget *content, QLabel **caption = nullptr);
    void showFacts(const FailureRow &row, const FailureDetail *detail);

    std::optional<FailureDetail> m_detail;
    std::optional<UserKey> m_user;
    QLabel *m_errorClass;
    QLabel *m_userLink;
    QLabel *m_facts;
    QPlainTextEdit *m_message;
    QPlainTextEdit *m_backtrace;
    QWidget *m_payloadArea;
    QLabel *m_payloadCaption = nullptr;
    PayloadViewer *m_payload;
    QSplitter *m_splitter;
};

} // namespace mc::widgets
