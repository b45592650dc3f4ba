#include "export_dialog.h"

#include "failure_export_job.h"
#include "failures_service.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <limits>

namespace mc::widgets {

namespace {

QString extension(ExportFormat format)
{
    return format == ExportFormat::Json ? QStringLiteral("json") : QStringLiteral("csv");
}

QString records(qint64 count)
{
    return count == 1 ? QObject::tr("1 record")
                      : QObject::tr("%1 records").arg(QLocale().toString(count));
}

QString defaultPath(ExportFormat format)
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    return QDir(dir).filePath(
        QStringLiteral("failed-records-%1.%2")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")),
                 extension(format)));
}

QString chooseWithFileDialog(QWidget *parent, const QString &suggested, ExportFormat format)
{
    const QString filter = format == ExportFormat::Json
        ? QObject::tr("JSON (*.json);;All files (*)")
        : QObject::tr("CSV (*.csv);;All files (*)");
    return QFileDialog::getSaveFileName(parent, QObject::tr("Export failed records"), suggested,
                                        filter);
}

} // namespace

ExportDialog::ExportDialog(FailuresService *service, const FailureFilter &filter,
                           QWidget *parent)
    : QDialog(parent), m_filter(filter), m_job(new FailureExportJob(this)),
      m_chooser(chooseWithFileDialog)
{
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export failed records"));

    auto *filterLabel = new QLabel(filter.describe(), this);
    filterLabel->setWordWrap(true);
    filterLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_csv = new QRadioButton(tr("CSV (a header row, UTF-8, RFC 4180 quoting)"), this);
    m_json = new QRadioButton(tr("JSON (an array of objects)"), this);
    m_csv->setChecked(true);
    auto *formats = new QButtonGroup(this);
    formats->addButton(m_csv);
    formats->addButton(m_json);
    auto *formatBox = new QVBoxLayout;
    formatBox->addWidget(m_csv);
    formatBox->addWidget(m_json);

    m_path = new QLineEdit(defaultPath(ExportFormat::Csv), this);
    m_path->setObjectName(QStringLiteral("path"));
    m_browse = new QPushButton(tr("Choose…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);

    m_details = new QCheckBox(tr("Include full messages, backtraces and payloads (reads every "
                                 "record: slower)"),
                              this);
    m_details->setObjectName(QStringLiteral("details"));

    m_progress = new QProgressBar(this);
    m_progressText = new QLabel(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c0392b"));

    auto *buttons = new QDialogButtonBox(this);
    m_export = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("export"));
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancel"));

    auto *form = new QFormLayout;
    form->addRow(tr("Filter:"), filterLabel);
    form->addRow(tr("Format:"), formatBox);
    auto *pathLabel = new QLabel(tr("&File:"), this);
    pathLabel->setBuddy(m_path);
    form->addRow(pathLabel, pathRow);
    form->addRow(QString(), m_details);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_summary);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(buttons);
    setMinimumWidth(560);

    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::choosePath);
    connect(m_json, &QRadioButton::toggled, this, &ExportDialog::onFormatChanged);
    connect(m_path, &QLineEdit::textChanged, this, [this] { setState(m_state); });
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_cancel, &QPushButton::clicked, this, &ExportDialog::onCancelClicked);
    connect(m_job, &FailureExportJob::progress, this, &ExportDialog::onProgress);
    connect(m_job, &FailureExportJob::finished, this, &ExportDialog::onFinished);
    connect(m_job, &FailureExportJob::failed, this, &ExportDialog::onFailed);

    m_job->setRunner(service->bulkRunner());
    setState(State::Ready);
}

ExportDialog::~ExportDialog() = default; // the job cancels a running export; no file is left

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setFormat(ExportFormat format)
{
    (format == ExportFormat::Json ? m_json : m_csv)->setChecked(true);
}

ExportFormat ExportDialog::format() const
{
    return m_json->isChecked() ? ExportFormat::Json : ExportFormat::Csv;
}

void ExportDialog::choosePath()
{
    const QString chosen = m_chooser(this, path(), format());
    if (!chosen.isEmpty())
        setPath(chosen);
}

void ExportDialog::onFormatChanged()
{
    // Follow the format in the file name while it still ends in the other one's extension.
    const QString other = extension(format() == ExportFormat::Json ? ExportFormat::Csv
                                                                   : ExportFormat::Json);
    const QString current = path();
    if (current.endsWith(QLatin1Char('.') + other, Qt::CaseInsensitive))
        setPath(current.left(current.size() - other.size()) + extension(format()));
}

void ExportDialog::startExport()
{
    if (m_state != State::Ready || path().isEmpty())
        return;
    const QFileInfo target(path());
    if (!target.absoluteDir().exists()) {
        m_problem->setText(tr("The folder %1 does not exist.")
                               .arg(QDir::toNativeSeparators(target.absolutePath())));
        return;
    }
    ExportOptions options;
    options.format = format();
    options.includeDetails = m_details->isChecked();
    options.pageSize = m_pageSize;
    m_report.reset();
    m_problem->clear();
    m_summary->clear();
    m_progress->setRange(0, 0); // busy until the count arrives
    m_progressText->setText(tr("Counting the records…"));
    setState(State::Running);
    m_job->start(m_filter, target.absoluteFilePath(), options);
}

void ExportDialog::onProgress(const ExportProgress &progress)
{
    if (progress.total > 0) {
        const qint64 scale = progress.total > std::numeric_limits<int>::max() ? 1000 : 1;
        m_progress->setRange(0, int(progress.total / scale));
        m_progress->setValue(int(std::min(progress.written, progress.total) / scale));
    } else {
        m_progress->setRange(0, 1);
        m_progress->setValue(progress.written > 0 ? 1 : 0);
    }
    m_progressText->setText(tr("%1 of %2 written")
                                .arg(QLocale().toString(progress.written),
                                     records(progress.total)));
}

void ExportDialog::onFinished(const ExportReport &report)
{
    m_report = report;
    onProgress({report.written, report.total});
    if (report.cancelled) {
        m_summary->setText(tr("Export cancelled after %1: nothing was written to %2.")
                               .arg(records(report.written), QDir::toNativeSeparators(path())));
    } else {
        m_summary->setText(tr("Exported %1 to %2 (%3).")
                               .arg(records(report.written),
                                    QDir::toNativeSeparators(report.path),
                                    QLocale().formattedDataSize(report.bytes)));
        emit exported(report.path, report.written);
    }
    setState(State::Done);
}

void ExportDialog::onFailed(const QString &message)
{
    m_progressText->clear();
    m_problem->setText(tr("Export failed: %1. No file was written.").arg(message));
    setState(State::Done);
}

void ExportDialog::onCancelClicked()
{
    if (m_state == State::Running) {
        m_job->cancel(); // stops between records; the partial file is removed
        setState(State::Cancelling); // stay for the summary
    } else {
        reject();
    }
}

void ExportDialog::reject()
{
    // Closing while it runs cancels: the job removes the partial file on its own thread.
    if (m_state == State::Running || m_state == State::Cancelling)
        m_job->cancel();
    QDialog::reject();
}

void ExportDialog::setState(State state)
{
    m_state = state;
    const bool running = state == State::Running || state == State::Cancelling;
    const bool editable = state == State::Ready;
    m_csv->setEnabled(editable);
    m_json->setEnabled(editable);
    m_path->setReadOnly(!editable);
    m_browse->setEnabled(editable);
    m_details->setEnabled(editable);
    m_progress->setVisible(running || state == State::Done);
    m_progressText->setVisible(running || state == State::Done);
    m_summary->setVisible(state == State::Done && !m_summary->text().isEmpty());
    m_export->setVisible(state != State::Done);
    m_export->setEnabled(editable && !path().isEmpty());
    m_cancel->setText(state == State::Done ? tr("Close") : running ? tr("Stop") : tr("Cancel"));
    m_cancel->setEnabled(state != State::Cancelling);
    if (state == State::Cancelling)
        m_progressText->setText(tr("Stopping…"));
    if (state == State::Done)
        m_cancel->setFocus(); // Close, rather than the read-only path
}

} // namespace mc::widgets
