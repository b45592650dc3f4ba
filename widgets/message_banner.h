#pragma once

// A line of feedback inside a view, above what it is about: information (green), a warning
// (amber, e.g. a conflict with another operator's change) or an error (red). It stays until
// replaced or closed, so a conflict message can be read in full; errors never go to modal boxes.

#include <QFrame>

class QLabel;
class QToolButton;

namespace mc::widgets {

class MessageBanner : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    void showInfo(const QString &text) { showMessage(Kind::Info, text); }
    void showError(const QString &text) { showMessage(Kind::Error, text); }
    void clearMessage();
    void dismiss() { clearMessage(); }

    Kind kind() const { return m_kind; }
    QString text() const;

signals:
    void messageChanged(); // shown, replaced or cleared: the banner's height may change

private:
    QLabel *m_text;
    QToolButton *m_close;
    Kind m_kind = Kind::Info;
};

} // namespace mc::widgets
