#include "failure_dialog.h"

#include "failure_detail_loader.h"
#include "failure_detail_pane.h"
#include "failures_service.h"

#include <QDialogButtonBox>
#include <QVBoxLayout>

namespace mc::widgets {

FailureDialog::FailureDialog(FailuresService *service, qint64 failureId, QWidget *parent)
    : QDialog(parent), m_loader(new FailureDetailLoader(service->runner(), this)),
      m_pane(new FailureDetailPane(this))
{
    setObjectName(QStringLiteral("failureDialog"));
    setWindowTitle(tr("Failed record %1").arg(failureId));
    resize(900, 760);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pane, 1);
    layout->addWidget(buttons);

    connect(m_loader, &FailureDetailLoader::loaded, m_pane, &FailureDetailPane::showDetail);
    connect(m_loader, &FailureDetailLoader::failed, this,
            [this](qint64 id, const StoreError &error) {
                m_pane->showNothing(tr("Failed record %1 could not be read: %2")
                                        .arg(id)
                                        .arg(error.message));
            });
    m_pane->showNothing(tr("Loading failed record %1…").arg(failureId));
    m_loader->load(failureId);
}

FailureDialog::~FailureDialog() = default;

} // namespace mc::widgets
