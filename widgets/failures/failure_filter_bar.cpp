#include "failure_filter_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolButton>

namespace mc::widgets {

bool sameFilter(const FailureFilter &a, const FailureFilter &b)
{
    return a.modelId == b.modelId && a.errorClass == b.errorClass && a.portal == b.portal
           && a.since == b.since && a.until == b.until && a.searchText == b.searchText
           && (a.searchText.isEmpty() || a.matchCase == b.matchCase)
           && a.fingerprint == b.fingerprint && a.includeResolved == b.includeResolved;
}

namespace {

QComboBox *choiceBox(const QString &objectName, const QString &any, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(objectName);
    box->addItem(any, QVariant());
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(10);
    return box;
}

QDateTimeEdit *timeEdit(const QString &objectName, const QDateTime &initial, QWidget *parent)
{
    auto *edit = new QDateTimeEdit(initial, parent);
    edit->setObjectName(objectName);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    edit->setCalendarPopup(true);
    edit->setEnabled(false);
    return edit;
}

} // namespace

FailureFilterBar::FailureFilterBar(QWidget *parent)
    : QWidget(parent),
      m_model(choiceBox(QStringLiteral("modelFilter"), tr("All models"), this)),
      m_errorClass(choiceBox(QStringLiteral("errorClassFilter"), tr("All error classes"), this)),
      m_portal(choiceBox(QStringLiteral("portalFilter"), tr("All portals"), this)),
      m_sinceOn(new QCheckBox(tr("Since"), this)),
      m_since(timeEdit(QStringLiteral("sinceFilter"),
                       QDateTime::currentDateTime().addDays(-1), this)),
      m_untilOn(new QCheckBox(tr("until"), this)),
      m_until(timeEdit(QStringLiteral("untilFilter"), QDateTime::currentDateTime(), this)),
      m_text(new QLineEdit(this)), m_matchCase(new QCheckBox(tr("Match case"), this)),
      m_typing(new QTimer(this)),
      m_includeResolved(new QCheckBox(tr("Include resolved"), this)), m_count(new QLabel(this)),
      m_stop(new QToolButton(this)), m_clearAll(new QToolButton(this))
{
    setObjectName(QStringLiteral("failureFilterBar"));
    m_errorClass->setMinimumContentsLength(18);
    m_sinceOn->setObjectName(QStringLiteral("sinceEnabled"));
    m_untilOn->setObjectName(QStringLiteral("untilEnabled"));
    m_text->setObjectName(QStringLiteral("messageFilter"));
    m_text->setPlaceholderText(tr("Error class, message or record id contains…"));
    m_text->setToolTip(tr("A literal substring; three letters or digits in a row use the search "
                          "index, anything shorter scans every record"));
    m_text->setClearButtonEnabled(true);
    m_text->setMaxLength(10'000);
    m_matchCase->setObjectName(QStringLiteral("matchCase"));
    m_matchCase->setToolTip(tr("Letters as typed: without it, A–Z match a–z (other characters "
                               "always match only themselves)"));
    m_includeResolved->setObjectName(QStringLiteral("includeResolved"));
    m_includeResolved->setToolTip(tr("Also show records marked ignored, resolved or retried"));
    m_count->setObjectName(QStringLiteral("failureCount"));
    m_count->setTextFormat(Qt::PlainText);
    m_count->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont countFont = m_count->font();
    countFont.setBold(true);
    m_count->setFont(countFont);
    m_stop->setObjectName(QStringLiteral("stopCount"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop counting (and scanning): the server stops the statement"));
    m_stop->hide();
    connect(m_stop, &QToolButton::clicked, this, &FailureFilterBar::stopRequested);
    m_clearAll->setObjectName(QStringLiteral("clearFilter"));
    m_clearAll->setText(tr("Clear filter"));
    m_clearAll->setToolTip(tr("Show every open failed record"));

    m_typing->setObjectName(QStringLiteral("typingPause"));
    m_typing->setSingleShot(true);
    m_typing->setInterval(kTypingPauseMs);
    connect(m_typing, &QTimer::timeout, this, &FailureFilterBar::readControls);
    connect(m_text, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_text, &QLineEdit::returnPressed, this, [this] {
        m_typing->stop();
        readControls();
    });
    for (QComboBox *box : {m_model, m_errorClass, m_portal})
        connect(box, &QComboBox::currentIndexChanged, this, &FailureFilterBar::readControls);
    for (QCheckBox *box : {m_sinceOn, m_untilOn})
        connect(box, &QCheckBox::toggled, this, [this] {
            m_since->setEnabled(m_sinceOn->isChecked());
            m_until->setEnabled(m_untilOn->isChecked());
            readControls();
        });
    for (QDateTimeEdit *edit : {m_since, m_until})
        connect(edit, &QDateTimeEdit::dateTimeChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_includeResolved, &QCheckBox::toggled, this, &FailureFilterBar::readControls);
    connect(m_matchCase, &QCheckBox::toggled, this, [this] {
        m_typing->stop();
        readControls();
    });
    connect(m_clearAll, &QToolButton::clicked, this, [this] {
        m_typing->stop();
        const FailureFilter cleared;
        if (sameFilter(cleared, m_filter))
            return;
        m_filter = cleared;
        showFilter();
        emit filterChanged(m_filter);
    });

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    // Three rows, so the bar fits a laptop screen: what failed, when, and the text and state.
    auto *first = new QHBoxLayout;
    first->setSpacing(6);
    first->addWidget(new QLabel(tr("Model"), this));
    first->addWidget(m_model);
    first->addSpacing(6);
    first->addWidget(new QLabel(tr("Error class"), this));
    first->addWidget(m_errorClass, 1);
    first->addSpacing(6);
    first->addWidget(new QLabel(tr("Portal"), this));
    first->addWidget(m_portal);
    auto *second = new QHBoxLayout;
    second->setSpacing(6);
    second->addWidget(m_sinceOn);
    second->addWidget(m_since);
    second->addSpacing(6);
    second->addWidget(m_untilOn);
    second->addWidget(m_until);
    second->addSpacing(6);
    second->addWidget(m_includeResolved);
    second->addStretch(1);
    second->addWidget(m_count);
    second->addWidget(m_stop);
    auto *third = new QHBoxLayout;
    third->setSpacing(6);
    third->addWidget(m_text, 3);
    third->addWidget(m_matchCase);
    third->addWidget(createGroupChip(), 2);
    third->addWidget(m_clearAll);
    grid->addLayout(first, 0, 0);
    grid->addLayout(second, 1, 0);
    grid->addLayout(third, 2, 0);
    showFilter();
}

QWidget *FailureFilterBar::createGroupChip()
{
    m_groupChip = new QFrame(this);
    m_groupChip->setObjectName(QStringLiteral("groupChip"));
    m_groupChip->setStyleSheet(QStringLiteral(
        "#groupChip { background: #fdf3d7; border: 1px solid #d9b44a; border-radius: 3px; }"
        "#groupChip QLabel { color: #202020; }"));
    m_groupLabel = new QLabel(m_groupChip);
    m_groupLabel->setObjectName(QStringLiteral("groupLabel"));
    m_groupLabel->setTextFormat(Qt::PlainText);
    m_groupLabel->setMinimumWidth(60);
    m_clearGroup = new QToolButton(m_groupChip);
    m_clearGroup->setObjectName(QStringLiteral("clearGroup"));
    m_clearGroup->setAutoRaise(true);
    m_clearGroup->setText(QStringLiteral("✕"));
    m_clearGroup->setToolTip(tr("Stop filtering by this error group"));
    connect(m_clearGroup, &QToolButton::clicked, this, [this] {
        m_filter.fingerprint.clear();
        showGroup();
        emit filterChanged(m_filter);
    });
    auto *row = new QHBoxLayout(m_groupChip);
    row->setContentsMargins(6, 0, 0, 0);
    row->setSpacing(2);
    row->addWidget(m_groupLabel, 1);
    row->addWidget(m_clearGroup);
    m_groupChip->hide();
    return m_groupChip;
}

void FailureFilterBar::setFilter(const FailureFilter &filter)
{
    m_typing->stop();
    m_filter = filter;
    if (filter.fingerprint.isEmpty())
        m_groupText.clear();
    showFilter();
}

void FailureFilterBar::readControls()
{
    FailureFilter next;
    if (const QVariant model = m_model->currentData(); model.isValid())
        next.modelId = model.toInt();
    next.errorClass = m_errorClass->currentData().toString();
    next.portal = m_portal->currentData().toString();
    if (m_sinceOn->isChecked())
        next.since = m_since->dateTime().toMSecsSinceEpoch();
    if (m_untilOn->isChecked())
        next.until = m_until->dateTime().toMSecsSinceEpoch();
    next.searchText = m_text->text();
    next.matchCase = m_matchCase->isChecked();
    next.fingerprint = m_filter.fingerprint;
    next.includeResolved = m_includeResolved->isChecked();
    if (sameFilter(next, m_filter))
        return;
    m_filter = next;
    emit filterChanged(m_filter);
}

void FailureFilterBar::selectData(QComboBox *box, const QVariant &data, const QString &text)
{
    int index = data.isValid() ? box->findData(data) : 0;
    if (index < 0) {
        box->addItem(text, data);
        index = box->count() - 1;
    }
    box->setCurrentIndex(index);
}

void FailureFilterBar::showChoices()
{
    const QSignalBlocker blockModel(m_model), blockClass(m_errorClass), blockPortal(m_portal);
    selectData(m_model, m_filter.modelId ? QVariant(*m_filter.modelId) : QVariant(),
               m_filter.modelId ? tr("model %1").arg(*m_filter.modelId) : QString());
    selectData(m_errorClass,
               m_filter.errorClass.isEmpty() ? QVariant() : QVariant(m_filter.errorClass),
               m_filter.errorClass);
    selectData(m_portal, m_filter.portal.isEmpty() ? QVariant() : QVariant(m_filter.portal),
               m_filter.portal);
}

void FailureFilterBar::showFilter()
{
    showChoices();
    const QSignalBlocker blockSinceOn(m_sinceOn), blockSince(m_since), blockUntilOn(m_untilOn),
        blockUntil(m_until), blockText(m_text), blockResolved(m_includeResolved),
        blockCase(m_matchCase);
    m_sinceOn->setChecked(m_filter.since.has_value());
    m_since->setEnabled(m_filter.since.has_value());
    if (m_filter.since)
        m_since->setDateTime(QDateTime::fromMSecsSinceEpoch(*m_filter.since));
    m_untilOn->setChecked(m_filter.until.has_value());
    m_until->setEnabled(m_filter.until.has_value());
    if (m_filter.until)
        m_until->setDateTime(QDateTime::fromMSecsSinceEpoch(*m_filter.until));
    if (m_text->text() != m_filter.searchText)
        m_text->setText(m_filter.searchText);
    m_matchCase->setChecked(m_filter.matchCase);
    m_includeResolved->setChecked(m_filter.includeResolved);
    showGroup();
}

void FailureFilterBar::setModels(const QList<QPair<int, QString>> &models)
{
    {
        const QSignalBlocker block(m_model);
        while (m_model->count() > 1)
            m_model->removeItem(1);
        for (const auto &[id, name] : models)
            m_model->addItem(name, id);
    }
    showChoices(); // only the choices: what is being typed stays as it is
}

void FailureFilterBar::setErrorClasses(const QStringList &classes)
{
    {
        const QSignalBlocker block(m_errorClass);
        while (m_errorClass->count() > 1)
            m_errorClass->removeItem(1);
        for (const QString &name : classes)
            m_errorClass->addItem(name, name);
    }
    showChoices(); // only the choices: what is being typed stays as it is
}

void FailureFilterBar::setPortals(const QStringList &portals)
{
    {
        const QSignalBlocker block(m_portal);
        while (m_portal->count() > 1)
            m_portal->removeItem(1);
        for (const QString &portal : portals)
            m_portal->addItem(portal, portal);
    }
    showChoices(); // only the choices: what is being typed stays as it is
}

void FailureFilterBar::setGroupDescription(const QString &text)
{
    m_groupText = text;
    showGroup();
}

void FailureFilterBar::showGroup()
{
    const bool on = !m_filter.fingerprint.isEmpty();
    m_groupChip->setVisible(on);
    if (!on)
        return;
    const QString text = tr("Group: %1").arg(m_groupText.isEmpty() ? m_filter.fingerprint
                                                                    : m_groupText);
    m_groupLabel->setToolTip(text);
    m_groupLabel->setText(fontMetrics().elidedText(text, Qt::ElideRight, 360));
}

void FailureFilterBar::setCountText(const QString &text)
{
    m_count->setText(text);
}

void FailureFilterBar::setStoppable(bool stoppable)
{
    m_stop->setVisible(stoppable);
}

} // namespace mc::widgets
