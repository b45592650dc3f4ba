#include "failure_detail_pane.h"

#include "payload_viewer.h"

#include "failure_table_model.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace mc::widgets {

namespace {

QPlainTextEdit *textView(const QString &objectName, bool monospace, QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    if (monospace) {
        QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        font.setStyleHint(QFont::TypeWriter);
        view->setFont(font);
        view->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    return view;
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

} // namespace

FailureDetailPane::FailureDetailPane(QWidget *parent)
    : QWidget(parent), m_errorClass(new QLabel(this)), m_userLink(new QLabel(this)),
      m_facts(new QLabel(this)), m_message(textView(QStringLiteral("messageView"), false, this)),
      m_backtrace(textView(QStringLiteral("backtraceView"), true, this)),
      m_payloadArea(new QWidget(this)),
      m_payload(new PayloadViewer(m_payloadArea)),
      m_splitter(new QSplitter(Qt::Vertical, this))
{
    setObjectName(QStringLiteral("failureDetailPane"));
    m_errorClass->setObjectName(QStringLiteral("detailErrorClass"));
    m_errorClass->setTextFormat(Qt::PlainText);
    m_errorClass->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorClass->setWordWrap(true);
    QFont classFont = m_errorClass->font();
    classFont.setBold(true);
    classFont.setPointSizeF(classFont.pointSizeF() * 1.15);
    m_errorClass->setFont(classFont);
    m_userLink->setObjectName(QStringLiteral("openUserLink"));
    m_userLink->setTextFormat(Qt::RichText);
    m_userLink->setToolTip(tr("Open this user's migration in the Users view"));
    connect(m_userLink, &QLabel::linkActivated, this, [this] {
        if (m_user)
            emit userRequested(*m_user);
    });
    m_facts->setObjectName(QStringLiteral("detailFacts"));
    m_facts->setTextFormat(Qt::RichText);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setWordWrap(true);

    m_payloadArea->setObjectName(QStringLiteral("payloadArea"));
    auto *payloadLayout = new QVBoxLayout(m_payloadArea);
    payloadLayout->setContentsMargins(0, 0, 0, 0);
    payloadLayout->addWidget(m_payload);

    m_splitter->setObjectName(QStringLiteral("detailSplitter"));
    m_splitter->addWidget(section(tr("Message"), m_message));
    m_splitter->addWidget(section(tr("Backtrace"), m_backtrace));
    m_splitter->addWidget(section(tr("Payload"), m_payloadArea, &m_payloadCaption));
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setChildrenCollapsible(false);

    auto *header = new QHBoxLayout;
    header->addWidget(m_errorClass, 1);
    header->addWidget(m_userLink, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(header);
    layout->addWidget(m_facts);
    layout->addWidget(m_splitter, 1);
    showNothing(tr("Select a failed record to see its message, backtrace and payload."));
}

QWidget *FailureDetailPane::section(const QString &title, QWidget *content, QLabel **caption)
{
    auto *box = new QWidget(this);
    auto *label = new QLabel(title, box);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setTextFormat(Qt::PlainText);
    if (caption)
        *caption = label;
    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(label, 1);
    if (auto *text = qobject_cast<QPlainTextEdit *>(content)) {
        auto *copy = new QToolButton(box);
        copy->setObjectName(content->objectName() + QStringLiteral("Copy"));
        copy->setText(tr("Copy"));
        copy->setAutoRaise(true);
        copy->setToolTip(tr("Copy the whole %1 to the clipboard").arg(title.toLower()));
        connect(copy, &QToolButton::clicked, text,
                [text] { QApplication::clipboard()->setText(text->toPlainText()); });
        top->addWidget(copy);
    }
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 2, 0, 0);
    layout->setSpacing(1);
    layout->addLayout(top);
    layout->addWidget(content, 1);
    return box;
}

QString FailureDetailPane::sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return tr("%1 bytes").arg(bytes);
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat)
           + tr(" (%1 bytes)").arg(QLocale().toString(bytes));
}

void FailureDetailPane::showFacts(const FailureRow &row, const FailureDetail *detail)
{
    QString resolution = FailureTableModel::resolutionText(row.resolution);
    if (detail && !row.resolution.isEmpty()) {
        if (!detail->resolvedBy.isEmpty())
            resolution += tr(" by %1").arg(detail->resolvedBy);
        if (detail->resolvedAt)
            resolution += tr(" at %1").arg(FailureTableModel::timeText(*detail->resolvedAt));
    }
    const QList<QPair<QString, QString>> facts{
        {tr("User"), row.user.toString()},
        {tr("Model"), row.model},
        {tr("Record id"), row.recordId},
        {tr("Phase"), row.phase},
        {tr("Attempt"), QString::number(row.attempt)},
        {tr("Failed at"), FailureTableModel::timeText(row.failedAt)},
        {tr("Payload"), sizeText(row.payloadSize)
                            + (detail && !detail->contentType.isEmpty()
                                   ? QStringLiteral(", ") + detail->contentType
                                   : QString())},
        {tr("Resolution"), resolution},
    };
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    for (qsizetype i = 0; i < facts.size(); i += 2) {
        html += QStringLiteral("<tr>");
        for (qsizetype j = i; j < std::min(i + 2, facts.size()); ++j)
            html += QStringLiteral("<td style='color:#777777; padding-right:6px'>%1</td>"
                                   "<td style='padding-right:18px'>%2</td>")
                        .arg(escaped(facts[j].first), escaped(facts[j].second));
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    m_facts->setText(html);
    m_user = row.user;
    m_userLink->setText(QStringLiteral("<a href='user'>%1</a>")
                            .arg(escaped(tr("Open user %1").arg(row.user.toString()))));
    m_userLink->show();
}

void FailureDetailPane::showLoading(const FailureRow &row)
{
    m_detail.reset();
    m_errorClass->setText(row.errorClass);
    showFacts(row, nullptr);
    m_message->setPlainText(tr("Loading…"));
    m_backtrace->clear();
    m_payload->clear();
    m_payloadCaption->setText(tr("Payload"));
}

void FailureDetailPane::showDetail(const FailureDetail &detail)
{
    m_detail = detail;
    m_errorClass->setText(detail.row.errorClass);
    showFacts(detail.row, &detail);
    m_message->setPlainText(detail.message);
    m_backtrace->setPlainText(detail.backtrace);
    // Size, content type and validity are in the viewer's own header line.
    m_payloadCaption->setText(tr("Payload"));
    m_payload->setPayload(detail.payload, detail.contentType);
}

void FailureDetailPane::showNothing(const QString &why)
{
    m_detail.reset();
    m_user.reset();
    m_errorClass->setText(why);
    m_userLink->hide();
    m_facts->clear();
    m_message->clear();
    m_backtrace->clear();
    m_payload->clear();
    m_payloadCaption->setText(tr("Payload"));
}

} // namespace mc::widgets
