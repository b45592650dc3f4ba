#pragma once

// One failed record in a window of its own: its detail and payload, loaded by id through the
// failures service. The Users view opens it from a user's failed records.

#include <QDialog>

namespace mc {
class FailureDetailLoader;
class FailuresService;
}

namespace mc::widgets {

class FailureDetailPane;

class FailureDialog : public QDialog
{
    Q_OBJECT

public:
    FailureDialog(FailuresService *service, qint64 failureId, QWidget *parent = nullptr);
    ~FailureDialog() override;

    FailureDetailPane *detailPane() const { return m_pane; }

private:
    FailureDetailLoader *m_loader;
    FailureDetailPane *m_pane;
};

} // namespace mc::widgets
