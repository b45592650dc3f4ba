#pragma once

// One failed record in a window of its own: its detail and payload, loaded by id on a connection
// of the dialog's own. The Users view opens it from a user's failed records.

#include <QDialog>

namespace mc {
class FailureDetailLoader;
class StoreRunner;
}

namespace mc::widgets {

class FailureDetailPane;

class FailureDialog : public QDialog
{
    Q_OBJECT

public:
    FailureDialog(const QString &url, qint64 failureId, QWidget *parent = nullptr);
    ~FailureDialog() override;

    FailureDetailPane *detailPane() const { return m_pane; }

private:
    StoreRunner *m_runner;
    FailureDetailLoader *m_loader;
    FailureDetailPane *m_pane;
};

} // namespace mc::widgets
