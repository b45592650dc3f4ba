#pragma once

// A line above a view's content that says what happened (an action's report) or what went wrong
// (a failed load or action), in place of modal boxes. A newer message replaces the older one;
// the operator closes it, or the view clears it when it no longer applies.

#include <QFrame>

class QLabel;
class QToolButton;

namespace mc::widgets {

class InlineMessageBar : public QFrame
{
    Q_OBJECT

public:
    enum class Level { Info, Warning, Error };

    explicit InlineMessageBar(QWidget *parent = nullptr);

    void showMessage(Level level, const QString &text);
    void showInfo(const QString &text) { showMessage(Level::Info, text); }
    void showError(const QString &text) { showMessage(Level::Error, text); }
    void dismiss();

    QString text() const;
    Level level() const { return m_level; }

private:
    QLabel *m_text;
    QToolButton *m_close;
    Level m_level = Level::Info;
};

} // namespace mc::widgets
