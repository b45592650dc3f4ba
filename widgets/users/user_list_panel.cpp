#include "user_list_panel.h"

#include "role_gate.h"

#include "reason_dialog.h"
#include "users_service.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kInvalidLinesNamed = 8; // the rest are in the results table

} // namespace

UserListPanel::UserListPanel(UsersService *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_outcomes(new RetryOutcomesModel(this)),
      m_edit(new QPlainTextEdit(this)), m_portal(new QComboBox(this)), m_check(new QLabel(this)),
      m_retry(new QPushButton(tr("Retry Failed Users of the List…"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_progressBar(new QProgressBar(this)),
      m_table(new QTableView(this)), m_totals(new QLabel(this)),
      m_progress(std::make_shared<Progress>())
{
    setObjectName(QStringLiteral("userListPanel"));
    m_edit->setObjectName(QStringLiteral("userListEdit"));
    m_edit->setPlaceholderText(tr("One user per line:\nlt:12345\nde:777\n4711   (a bare id: of "
                                  "the portal chosen on the right)"));
    m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_portal->setObjectName(QStringLiteral("listPortal"));
    m_portal->setEditable(true);
    m_portal->setInsertPolicy(QComboBox::NoInsert);
    m_portal->setMinimumWidth(90);
    m_check->setObjectName(QStringLiteral("listCheck"));
    m_check->setWordWrap(true);
    m_check->setTextFormat(Qt::PlainText);
    m_check->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_retry->setObjectName(QStringLiteral("retryListButton"));
    m_retry->setEnabled(false);
    m_cancel->setObjectName(QStringLiteral("cancelListButton"));
    m_cancel->setVisible(false);
    m_progressBar->setVisible(false);
    m_progressBar->setFormat(tr("%v of %m users"));
    m_totals->setObjectName(QStringLiteral("listTotals"));
    m_totals->setTextFormat(Qt::PlainText);
    m_totals->setWordWrap(true);

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_outcomes);
    proxy->setSortRole(RetryOutcomesModel::SortRole);
    m_table->setObjectName(QStringLiteral("listResults"));
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RetryOutcomesModel::Line, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(RetryOutcomesModel::Line, 60);
    m_table->setColumnWidth(RetryOutcomesModel::Input, 200);
    m_table->setColumnWidth(RetryOutcomesModel::User, 160);
    m_table->setToolTip(tr("Double-click a user to open its dossier"));

    auto *side = new QVBoxLayout;
    auto *portalRow = new QHBoxLayout;
    portalRow->addWidget(new QLabel(tr("Bare ids are of portal"), this));
    portalRow->addWidget(m_portal);
    portalRow->addStretch(1);
    side->addLayout(portalRow);
    side->addWidget(m_check, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    side->addLayout(buttons);
    side->addWidget(m_progressBar);

    auto *top = new QHBoxLayout;
    top->addWidget(m_edit, 3);
    top->addLayout(side, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->addLayout(top, 2);
    layout->addWidget(m_table, 3);
    layout->addWidget(m_totals);

    auto *checkTimer = new QTimer(this);
    checkTimer->setSingleShot(true);
    checkTimer->setInterval(200);
    connect(checkTimer, &QTimer::timeout, this, &UserListPanel::checkList);
    connect(m_edit, &QPlainTextEdit::textChanged, checkTimer, qOverload<>(&QTimer::start));
    // The button follows the text at once; a click checks the list as it is then.
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        enableRetry(!m_running && m_connected && !m_edit->toPlainText().trimmed().isEmpty());
    });
    connect(m_portal, &QComboBox::currentTextChanged, this, &UserListPanel::checkList);
    connect(m_retry, &QPushButton::clicked, this, [this, checkTimer] {
        checkTimer->stop();
        checkList(); // what is typed now, not 200 ms ago
        askForReason();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_progress->cancel = true;
        m_cancel->setEnabled(false);
        m_totals->setText(tr("Cancelling after the batch that is running…"));
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const auto &rows = m_outcomes->rows();
        const int row = index.sibling(index.row(), RetryOutcomesModel::Line)
                            .data(RetryOutcomesModel::SortRole).toInt();
        for (const RetryOutcomeRow &r : rows)
            if (r.line == row && r.user)
                emit userActivated(*r.user);
    });
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        m_progressBar->setMaximum(int(std::min<qint64>(m_progress->total, INT_MAX)));
        m_progressBar->setValue(int(std::min<qint64>(m_progress->processed, INT_MAX)));
    });
    checkList();
}

UserListPanel::~UserListPanel()
{
    m_progress->cancel = true; // a running retry stops after its current batch
}

void UserListPanel::setConnected(bool connected)
{
    m_connected = connected;
    m_progress->cancel = true;
    setRunning(false);
    m_outcomes->setList(m_list);
    m_totals->clear();
    checkList();
}

void UserListPanel::setPortals(const QStringList &portals)
{
    const QString current = m_portal->currentText();
    const QSignalBlocker block(m_portal);
    m_portal->clear();
    m_portal->addItems(portals);
    m_portal->setCurrentText(current.isEmpty() && !portals.isEmpty() ? portals.first() : current);
    checkList();
}

void UserListPanel::checkList()
{
    if (m_running)
        return;
    m_list = parseUserList(m_edit->toPlainText(), m_portal->currentText());
    m_outcomes->setList(m_list);
    QStringList lines{m_list.summary() + QLatin1Char('.')};
    const QList<UserListLine> invalid = m_list.invalidLines();
    for (int i = 0; i < invalid.size() && i < kInvalidLinesNamed; ++i)
        lines << tr("Line %1: %2.").arg(invalid[i].number).arg(invalid[i].problem);
    if (invalid.size() > kInvalidLinesNamed)
        lines << tr("… and %1 more invalid lines, all listed below.")
                     .arg(invalid.size() - kInvalidLinesNamed);
    if (!invalid.isEmpty())
        lines << tr("Invalid lines are not retried.");
    m_check->setText(lines.join(QLatin1Char('\n')));
    m_check->setStyleSheet(invalid.isEmpty() ? QString()
                                             : QStringLiteral("QLabel { color: #b3261e; }"));
    m_retry->setProperty("mcOwnToolTip",
                         !m_connected           ? tr("Not connected to a merge database")
                         : m_list.users.empty() ? tr("Paste at least one user")
                                                : QString());
    enableRetry(m_connected && !m_list.users.empty());
}

void UserListPanel::setAccess(const RoleAccess &access)
{
    m_access = access;
    enableRetry(m_connected && !m_running && !m_list.users.empty());
}

void UserListPanel::enableRetry(bool enabled)
{
    gate(m_retry, enabled, m_access, RoleAction::RetryUsers);
}

void UserListPanel::askForReason()
{
    if (m_running || m_list.users.empty())
        return;
    const int users = int(m_list.users.size());
    QString question =
        (users == 1 ? tr("Retry the one listed user if it is failed?")
                    : tr("Retry the failed users among the %1 listed users?").arg(users))
        + QLatin1Char(' ')
        + tr("A failed user moves from failed to pending and runs again. Users that are not "
             "failed, or not found, are left as they are and reported.");
    if (const int invalid = m_list.count(UserListLine::Kind::Invalid))
        question += QLatin1Char('\n')
                    + (invalid == 1 ? tr("1 invalid line will not be retried.")
                                    : tr("%1 invalid lines will not be retried.").arg(invalid));
    auto *dialog = new ReasonDialog(tr("Retry Users"), question, tr("Retry"), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { retry(dialog->reason()); });
    dialog->open();
}

void UserListPanel::retry(const QString &reason)
{
    if (m_running)
        return;
    m_progress = std::make_shared<Progress>();
    m_progress->total = qint64(m_list.users.size());
    m_outcomes->setList(m_list);
    setRunning(true);
    m_totals->setText(tr("Retrying %1 users…").arg(m_list.users.size()));
    RetryRequest request;
    request.users = m_list.users;
    request.reason = reason;
    request.by = Operator::fromEnvironment();
    m_service->retryList(
        this, request, m_progress,
        [this](const Result<RetryReport> &report) { showReport(report); });
}

void UserListPanel::showReport(const Result<RetryReport> &report)
{
    setRunning(false);
    if (!report.ok()) {
        m_totals->setText(tr("The retry stopped: %1 Batches committed before the error stay "
                             "moved; open a user to see its status.")
                              .arg(report.error().message));
        m_totals->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; }"));
        emit retryFinished();
        return;
    }
    m_outcomes->setReport(*report);
    showTotals(report->cancelled ? tr("Cancelled; users of later batches were not retried. ")
                                 : QString());
    emit retryFinished();
}

void UserListPanel::showTotals(const QString &prefix)
{
    const RetryTotals t = m_outcomes->totals();
    QStringList parts{tr("moved to pending: %1").arg(t.moved),
                      tr("not failed: %1").arg(t.notFailed), tr("not found: %1").arg(t.notFound)};
    if (t.duplicates)
        parts << tr("duplicate lines: %1").arg(t.duplicates);
    if (t.invalid)
        parts << tr("invalid lines: %1").arg(t.invalid);
    if (t.waiting)
        parts << tr("not retried: %1").arg(t.waiting);
    m_totals->setStyleSheet({});
    m_totals->setText(prefix + parts.join(QStringLiteral(" · ")));
}

void UserListPanel::setRunning(bool running)
{
    m_running = running;
    m_edit->setReadOnly(running);
    m_portal->setEnabled(!running);
    m_cancel->setVisible(running);
    m_cancel->setEnabled(running);
    m_progressBar->setVisible(running);
    m_progressBar->setRange(0, int(std::min<qint64>(m_progress->total, INT_MAX)));
    m_progressBar->setValue(0);
    enableRetry(!running && m_connected && !m_list.users.empty());
    if (running)
        m_progressTimer.start();
    else
        m_progressTimer.stop();
}

} // namespace mc::widgets
