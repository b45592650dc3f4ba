#pragma once

// For the README: with MC_SCREENSHOTS_DIR set, a dialog saved as PNG there, with an open popup
// (a combo box's list) drawn over it where it shows on screen. Without it, nothing is saved.

#include <QPainter>
#include <QPixmap>
#include <QTest>
#include <QWidget>

namespace mc::test {

inline bool saveDialogScreenshot(QWidget *dialog, const QString &file, QWidget *popup = nullptr)
{
    const QString dir = qEnvironmentVariable("MC_SCREENSHOTS_DIR");
    if (dir.isEmpty())
        return true;
    dialog->show();
    if (!QTest::qWaitForWindowExposed(dialog))
        return false;
    const QRect frame(dialog->mapToGlobal(QPoint(0, 0)), dialog->size());
    QRect canvas = frame;
    if (popup && popup->isVisible())
        canvas = canvas.united(QRect(popup->mapToGlobal(QPoint(0, 0)), popup->size()));
    QPixmap shot(canvas.size());
    shot.fill(dialog->palette().color(QPalette::Window));
    QPainter painter(&shot);
    painter.drawPixmap(frame.topLeft() - canvas.topLeft(), dialog->grab());
    if (popup && popup->isVisible())
        painter.drawPixmap(popup->mapToGlobal(QPoint(0, 0)) - canvas.topLeft(), popup->grab());
    painter.end();
    return shot.save(dir + QLatin1Char('/') + file);
}

} // namespace mc::test
