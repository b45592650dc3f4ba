#include "audit_page.h"

#include "audit_change.h"
#include "audit_exporter.h"
#include "audit_log_model.h"
#include "audit_service.h"
#include "time_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

constexpr int kApplyDelayMs = 300; // typing in a filter field re-queries once it settles

QDateTimeEdit *newTimeEdit(const QString &name, const QDateTime &at, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(at, parent);
    edit->setObjectName(name);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    edit->setCalendarPopup(true);
    edit->setTimeSpec(Qt::LocalTime);
    edit->setEnabled(false);
    return edit;
}

} // namespace

AuditPage::AuditPage(AuditService *service, QWidget *parent)
    : QWidget(parent), m_service(service), m_model(new AuditLogModel(service->runner(), this)),
      m_exporter(new AuditExporter(service->bulkRunner(), this)), m_applyTimer(new QTimer(this)),
      m_table(new QTableView(this)), m_detail(new QPlainTextEdit(this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("auditPage"));
    m_applyTimer->setSingleShot(true);
    m_applyTimer->setInterval(kApplyDelayMs);
    connect(m_applyTimer, &QTimer::timeout, this, &AuditPage::refresh);

    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_model);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(AuditLogModel::Who, 170);
    m_table->setColumnWidth(AuditLogModel::When, 150);
    m_table->setColumnWidth(AuditLogModel::Action, 120);
    m_table->setColumnWidth(AuditLogModel::Target, 170);
    m_table->setColumnWidth(AuditLogModel::Change, 280);

    m_detail->setObjectName(QStringLiteral("auditDetail"));
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select an entry to read it in full."));
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_status->setObjectName(QStringLiteral("auditStatus"));
    m_status->setTextFormat(Qt::PlainText);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);
    layout->addWidget(createFilterBar());
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
    layout->addWidget(createExportBar());

    connect(m_model, &AuditLogModel::loadingChanged, this, &AuditPage::showStatus);
    connect(m_model, &AuditLogModel::pageLoaded, this, &AuditPage::showStatus);
    connect(m_model, &AuditLogModel::failed, this, &AuditPage::showStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AuditPage::showDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AuditPage::showDetail);
    connect(service, &FeatureService::connectionChanged, this, &AuditPage::setConnected);
    setConnected(service->isConnected());
}

QStringList AuditPage::knownActions()
{
    return {QStringLiteral("retry_users"),      QStringLiteral("set_queue"),
            QStringLiteral("set_rollout"),      QStringLiteral("resolve_failures"),
            QStringLiteral("reopen_failures"),  QStringLiteral("install_schema"),
            QStringLiteral("upgrade_schema")};
}

QWidget *AuditPage::createFilterBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);

    m_action = new QComboBox(bar);
    m_action->setObjectName(QStringLiteral("actionBox"));
    m_action->setEditable(true);
    m_action->setInsertPolicy(QComboBox::NoInsert);
    m_action->addItem(QString());
    m_action->addItems(knownActions());
    m_action->lineEdit()->setPlaceholderText(tr("any action"));
    m_action->setMinimumWidth(160);
    m_operator = new QLineEdit(bar);
    m_operator->setObjectName(QStringLiteral("operatorEdit"));
    m_operator->setPlaceholderText(tr("any operator"));
    m_operator->setToolTip(tr("An OS user or database user, exactly"));
    m_operator->setClearButtonEnabled(true);
    m_operator->setMaximumWidth(180);
    const QDateTime now = QDateTime::currentDateTime();
    m_sinceOn = new QCheckBox(tr("Since"), bar);
    m_sinceOn->setObjectName(QStringLiteral("sinceCheck"));
    m_since = newTimeEdit(QStringLiteral("sinceEdit"), now.addDays(-1), bar);
    m_untilOn = new QCheckBox(tr("until"), bar);
    m_untilOn->setObjectName(QStringLiteral("untilCheck"));
    m_until = newTimeEdit(QStringLiteral("untilEdit"), now.addSecs(3600), bar);
    m_refresh = new QPushButton(tr("Refresh"), bar);
    m_refresh->setObjectName(QStringLiteral("auditRefresh"));
    m_refresh->setShortcut(QKeySequence::Refresh);
    m_export = new QPushButton(tr("Export…"), bar);
    m_export->setObjectName(QStringLiteral("auditExport"));
    m_export->setToolTip(tr("Write every entry of this filter to a CSV or JSON file"));

    row->addWidget(new QLabel(tr("Action"), bar));
    row->addWidget(m_action);
    row->addWidget(new QLabel(tr("Operator"), bar));
    row->addWidget(m_operator);
    row->addSpacing(8);
    row->addWidget(m_sinceOn);
    row->addWidget(m_since);
    row->addWidget(m_untilOn);
    row->addWidget(m_until);
    row->addStretch(1);
    row->addWidget(m_refresh);
    row->addWidget(m_export);

    auto later = [this] { m_applyTimer->start(); };
    connect(m_action, &QComboBox::currentTextChanged, this, later);
    connect(m_operator, &QLineEdit::textChanged, this, later);
    connect(m_operator, &QLineEdit::returnPressed, this, &AuditPage::refresh);
    connect(m_sinceOn, &QCheckBox::toggled, m_since, &QWidget::setEnabled);
    connect(m_untilOn, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
    for (QCheckBox *check : {m_sinceOn, m_untilOn})
        connect(check, &QCheckBox::toggled, this, later);
    for (QDateTimeEdit *edit : {m_since, m_until})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this, later] {
            if (m_sinceOn->isChecked() || m_untilOn->isChecked())
                later();
        });
    connect(m_refresh, &QPushButton::clicked, this, &AuditPage::refresh);
    connect(m_export, &QPushButton::clicked, this, &AuditPage::askForExportFile);
    return bar;
}

QWidget *AuditPage::createExportBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_exportProgress = new QProgressBar(bar);
    m_exportProgress->setRange(0, 0); // the number of entries is not known ahead
    m_exportProgress->setMaximumWidth(160);
    m_exportProgress->setVisible(false);
    m_exportLabel = new QLabel(bar);
    m_exportLabel->setObjectName(QStringLiteral("exportLabel"));
    m_exportLabel->setTextFormat(Qt::PlainText);
    m_cancelExport = new QPushButton(tr("Cancel Export"), bar);
    m_cancelExport->setObjectName(QStringLiteral("cancelExport"));
    m_cancelExport->setVisible(false);
    row->addWidget(m_exportProgress);
    row->addWidget(m_exportLabel, 1);
    row->addWidget(m_cancelExport);

    const QLocale locale;
    connect(m_cancelExport, &QPushButton::clicked, m_exporter, &AuditExporter::cancel);
    connect(m_exporter, &AuditExporter::runningChanged, this, [this](bool running) {
        m_exportProgress->setVisible(running);
        m_cancelExport->setVisible(running);
        m_export->setEnabled(!running && isConnected());
    });
    connect(m_exporter, &AuditExporter::progress, this, [this, locale](qint64 entries) {
        if (m_exporter->isRunning())
            m_exportLabel->setText(
                tr("Exporting… %1 entries written").arg(locale.toString(entries)));
    });
    connect(m_exporter, &AuditExporter::finished, this,
            [this, locale](qint64 entries, const QString &path) {
                const QString text = tr("Exported %1 entries to %2")
                          .arg(locale.toString(entries), QDir::toNativeSeparators(path));
                m_exportLabel->setText(text);
                emit exportFinished(true, text);
            });
    connect(m_exporter, &AuditExporter::failed, this, [this](const QString &message) {
        const QString text = tr("Export failed: %1").arg(message);
        m_exportLabel->setText(text);
        emit exportFinished(false, text);
    });
    connect(m_exporter, &AuditExporter::cancelled, this, [this] {
        const QString text = tr("Export cancelled; no file was written.");
        m_exportLabel->setText(text);
        emit exportFinished(false, text);
    });
    return bar;
}

bool AuditPage::isConnected() const
{
    return m_service->isConnected();
}

void AuditPage::setConnected(bool connected)
{
    m_exporter->cancel();
    m_refresh->setEnabled(connected);
    m_export->setEnabled(connected && !m_exporter->isRunning());
    if (!connected)
        m_model->clear();
    else
        refresh();
    showStatus();
}

AuditQuery AuditPage::currentFilter() const
{
    AuditQuery query;
    query.action = m_action->currentText().trimmed();
    query.actor = m_operator->text().trimmed();
    if (m_sinceOn->isChecked())
        query.since = m_since->dateTime().toMSecsSinceEpoch();
    if (m_untilOn->isChecked())
        query.until = m_until->dateTime().toMSecsSinceEpoch();
    return query;
}

void AuditPage::refresh()
{
    m_applyTimer->stop();
    if (!isConnected())
        return;
    m_model->setFilter(currentFilter());
    showStatus();
}

void AuditPage::showStatus()
{
    if (!isConnected()) {
        m_status->setText(tr("Not connected to a merge database."));
        return;
    }
    const QLocale locale;
    const int rows = m_model->rowCount();
    QString text;
    if (!m_model->errorText().isEmpty())
        text = tr("The audit log could not be read: %1").arg(m_model->errorText());
    else if (m_model->isLoading())
        text = rows ? tr("%1 entries shown; loading more…").arg(locale.toString(rows))
                    : tr("Loading…");
    else if (rows == 0)
        text = tr("No audit entries match this filter.");
    else if (m_model->hasMore())
        text = tr("%1 newest entries shown; older ones load as you scroll.")
                   .arg(locale.toString(rows));
    else
        text = rows == 1 ? tr("1 entry.") : tr("%1 entries.").arg(locale.toString(rows));
    m_status->setText(text);
    m_status->setStyleSheet(m_model->errorText().isEmpty()
                                ? QString()
                                : QStringLiteral("QLabel { color: #b3261e; }"));
}

void AuditPage::showDetail()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || current.row() >= m_model->entries().size()) {
        m_detail->clear();
        return;
    }
    const AuditEntry &e = m_model->entries().at(current.row());
    QStringList lines;
    lines << tr("#%1  %2 local  (%3)").arg(e.id).arg(localTimeText(e.at), utcTimeText(e.at));
    // Who and when are the server's; the OS user is what the client said.
    lines << tr("Who:     %2 (database login, set by the server); %1 (OS user, claimed)")
                 .arg(e.osUser, e.databaseUser);
    lines << tr("Action:  %1").arg(e.action);
    lines << tr("Target:  %1").arg(e.target);
    lines << tr("Reason:  %1").arg(e.reason);
    lines << QString() << tr("Before:") << readableJson(e.before);
    lines << QString() << tr("After:") << readableJson(e.after);
    m_detail->setPlainText(lines.join(QLatin1Char('\n')));
}

void AuditPage::askForExportFile()
{
    const QString csv = tr("CSV (*.csv)");
    const QString json = tr("JSON (*.json)");
    QString chosen = csv;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Audit Log"),
        QStringLiteral("audit-%1.csv")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))),
        csv + QStringLiteral(";;") + json, &chosen);
    if (path.isEmpty())
        return;
    const bool wantsJson = chosen == json;
    if (QFileInfo(path).suffix().isEmpty())
        path += wantsJson ? QStringLiteral(".json") : QStringLiteral(".csv");
    exportTo(path, auditExportFormatFor(path));
}

bool AuditPage::exportTo(const QString &path, AuditExportFormat format)
{
    if (!isConnected() || m_exporter->isRunning())
        return false;
    m_exportLabel->setText(tr("Exporting…"));
    return m_exporter->start(currentFilter(), path, format);
}

} // namespace mc::widgets
