#include "queue_settings_model.h"

#include "number_text.h"

#include <QDateTime>

namespace mc {

namespace {

QString settingName(int column)
{
    switch (column) {
    case QueueSettingsModel::Parallelism:
        return QStringLiteral("parallelism");
    case QueueSettingsModel::RunEvery:
        return QStringLiteral("run every (ms)");
    case QueueSettingsModel::MaxAttempts:
        return QStringLiteral("max attempts");
    default:
        return {};
    }
}

constexpr int kEditableColumns[] = {QueueSettingsModel::Parallelism, QueueSettingsModel::RunEvery,
                                    QueueSettingsModel::MaxAttempts};

} // namespace

// ---- StagedQueueEdit ---------------------------------------------------------------------------

QueueChange StagedQueueEdit::change(const QString &reason, const Operator &by) const
{
    QueueChange change;
    change.queue = base.name;
    change.parallelism = parallelism;
    change.runEveryMs = runEveryMs;
    change.maxAttempts = maxAttempts;
    change.expectVersion = base.version;
    change.reason = reason;
    change.by = by;
    return change;
}

QStringList StagedQueueEdit::changes() const
{
    QStringList lines;
    auto add = [&](const char *name, int before, const std::optional<int> &after) {
        if (after)
            lines << QStringLiteral("%1 %2 → %3")
                         .arg(QLatin1String(name), countText(before), countText(*after));
    };
    add("parallelism", base.parallelism, parallelism);
    add("run every (ms)", base.runEveryMs, runEveryMs);
    add("max attempts", base.maxAttempts, maxAttempts);
    return lines;
}

// ---- QueueSettingsModel ------------------------------------------------------------------------

QueueSettingsModel::QueueSettingsModel(QObject *parent) : QAbstractTableModel(parent) {}

bool QueueSettingsModel::isEditable(int column)
{
    return column == Parallelism || column == RunEvery || column == MaxAttempts;
}

int QueueSettingsModel::minimumOf(int column)
{
    return column == Parallelism ? 0 : 1;
}

int QueueSettingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int QueueSettingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<int> *QueueSettingsModel::field(StagedQueueEdit &edit, int column)
{
    switch (column) {
    case Parallelism:
        return &edit.parallelism;
    case RunEvery:
        return &edit.runEveryMs;
    case MaxAttempts:
        return &edit.maxAttempts;
    default:
        return nullptr;
    }
}

std::optional<int> QueueSettingsModel::stagedValue(const StagedQueueEdit &edit, int column)
{
    switch (column) {
    case Parallelism:
        return edit.parallelism;
    case RunEvery:
        return edit.runEveryMs;
    case MaxAttempts:
        return edit.maxAttempts;
    default:
        return std::nullopt;
    }
}

int QueueSettingsModel::valueOf(const QueueState &queue, int column)
{
    switch (column) {
    case Parallelism:
        return queue.parallelism;
    case RunEvery:
        return queue.runEveryMs;
    case MaxAttempts:
        return queue.maxAttempts;
    default:
        return 0;
    }
}

QVariant QueueSettingsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QueueState &queue = m_rows[index.row()];
    const int column = index.column();
    const auto staged = m_staged.constFind(queue.name);
    const std::optional<int> stagedHere =
        staged != m_staged.constEnd() ? stagedValue(*staged, column) : std::nullopt;

    switch (role) {
    case Qt::DisplayRole:
        if (stagedHere)
            return countText(*stagedHere);
        return displayData(queue, column);
    case Qt::EditRole:
        if (isEditable(column))
            return stagedHere.value_or(valueOf(queue, column));
        return displayData(queue, column);
    case Qt::TextAlignmentRole:
        if (column == Name || column == Version || column == Paused)
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return toolTip(queue, column);
    case StagedRole:
        return stagedHere.has_value();
    case RowChangedRole:
        return rowChangedUnder(queue.name);
    case DatabaseValueRole:
        return isEditable(column) ? QVariant(valueOf(queue, column)) : QVariant();
    case QueueNameRole:
        return queue.name;
    default:
        return {};
    }
}

QVariant QueueSettingsModel::displayData(const QueueState &queue, int column) const
{
    switch (column) {
    case Name:
        return queue.name;
    case Parallelism:
    case RunEvery:
    case MaxAttempts:
        return countText(valueOf(queue, column));
    case Paused:
        return queue.paused ? tr("paused") : tr("running");
    case Depth:
        return countText(queue.depth);
    case InProgress:
        return countText(queue.inProgress);
    case Version:
        return queue.updatedBy.isEmpty()
                   ? QStringLiteral("v%1").arg(queue.version)
                   : QStringLiteral("v%1 · %2").arg(queue.version).arg(queue.updatedBy);
    default:
        return {};
    }
}

QString QueueSettingsModel::toolTip(const QueueState &queue, int column) const
{
    const auto staged = m_staged.constFind(queue.name);
    QStringList lines;
    if (staged != m_staged.constEnd()) {
        if (const std::optional<int> value = stagedValue(*staged, column))
            lines << tr("Staged: %1 %2 → %3. Nothing is written until you apply it.")
                         .arg(settingName(column), countText(valueOf(staged->base, column)),
                              countText(*value));
        if (rowChangedUnder(queue.name)) {
            lines << tr("Changed in the database since you edited it: version %1 → %2 by %3.")
                         .arg(staged->base.version)
                         .arg(queue.version)
                         .arg(queue.updatedBy.isEmpty() ? tr("someone") : queue.updatedBy);
            if (isEditable(column))
                lines << tr("The database has %1 now.").arg(countText(valueOf(queue, column)));
        }
    }
    if (column == Version && queue.updatedAt)
        lines << tr("Last changed %1 by %2")
                     .arg(QDateTime::fromMSecsSinceEpoch(*queue.updatedAt)
                              .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                          queue.updatedBy);
    if (column == Parallelism && lines.isEmpty())
        lines << tr("Most jobs of this queue running at once; 0 stops new claims.");
    return lines.join(QLatin1Char('\n'));
}

QVariant QueueSettingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Queue");
    case Parallelism:
        return tr("Parallelism");
    case RunEvery:
        return tr("Run every (ms)");
    case MaxAttempts:
        return tr("Max attempts");
    case Paused:
        return tr("State");
    case Depth:
        return tr("Waiting");
    case InProgress:
        return tr("In progress");
    case Version:
        return tr("Version · changed by");
    case Action:
        return QString();
    default:
        return {};
    }
}

Qt::ItemFlags QueueSettingsModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && m_editable && isEditable(index.column()))
        flags |= Qt::ItemIsEditable;
    return flags;
}

bool QueueSettingsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || index.row() >= m_rows.size())
        return false;
    bool ok = false;
    const int number = value.toInt(&ok);
    return ok && stage(m_rows[index.row()].name, Column(index.column()), number);
}

void QueueSettingsModel::setQueues(const QList<QueueState> &queues)
{
    QStringList before, after;
    for (const QueueState &queue : std::as_const(m_rows))
        before << queue.name;
    for (const QueueState &queue : queues)
        after << queue.name;
    if (before == after) {
        m_rows = queues;
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = queues;
    // An edit of a queue that no longer exists cannot be applied.
    bool dropped = false;
    for (auto it = m_staged.begin(); it != m_staged.end();) {
        if (after.contains(it.key())) {
            ++it;
        } else {
            it = m_staged.erase(it);
            dropped = true;
        }
    }
    endResetModel();
    if (dropped)
        emit stagedChanged();
}

void QueueSettingsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_staged.clear();
    endResetModel();
    emit stagedChanged();
}

std::optional<QueueState> QueueSettingsModel::queue(const QString &name) const
{
    const int row = rowOf(name);
    if (row < 0)
        return std::nullopt;
    return m_rows[row];
}

int QueueSettingsModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows[row].name == name)
            return row;
    return -1;
}

bool QueueSettingsModel::stage(const QString &queue, Column column, int value)
{
    const int row = rowOf(queue);
    if (row < 0 || !isEditable(column) || value < minimumOf(column))
        return false;
    auto it = m_staged.find(queue);
    if (it == m_staged.end())
        it = m_staged.insert(queue, StagedQueueEdit{m_rows[row], {}, {}, {}});
    std::optional<int> *slot = field(*it, column);
    if (value == valueOf(it->base, column))
        slot->reset(); // back to what the edit was based on: nothing to change
    else
        *slot = value;
    if (it->isEmpty())
        m_staged.erase(it);
    rowChanged(queue);
    emit stagedChanged();
    return true;
}

QList<StagedQueueEdit> QueueSettingsModel::stagedEdits() const
{
    QList<StagedQueueEdit> edits;
    for (const QueueState &queue : m_rows)
        if (auto it = m_staged.constFind(queue.name); it != m_staged.constEnd())
            edits << *it;
    return edits;
}

std::optional<StagedQueueEdit> QueueSettingsModel::stagedEdit(const QString &queue) const
{
    if (auto it = m_staged.constFind(queue); it != m_staged.constEnd())
        return *it;
    return std::nullopt;
}

bool QueueSettingsModel::rowChangedUnder(const QString &queue) const
{
    const auto staged = m_staged.constFind(queue);
    if (staged == m_staged.constEnd())
        return false;
    const std::optional<QueueState> current = this->queue(queue);
    return current && current->version != staged->base.version;
}

void QueueSettingsModel::discard()
{
    if (m_staged.isEmpty())
        return;
    m_staged.clear();
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit stagedChanged();
}

void QueueSettingsModel::discard(const QString &queue)
{
    if (m_staged.remove(queue) == 0)
        return;
    rowChanged(queue);
    emit stagedChanged();
}

void QueueSettingsModel::applied(const QueueState &after, qint64 versionBefore)
{
    const int row = rowOf(after.name);
    if (row < 0)
        return;
    // A refresh may already have brought a newer row; never step back.
    if (m_rows[row].version <= after.version)
        m_rows[row] = after;
    if (auto it = m_staged.find(after.name);
        it != m_staged.end() && it->base.version == versionBefore) {
        it->base = after;
        for (int column : kEditableColumns) {
            std::optional<int> *slot = field(*it, column);
            if (*slot && **slot == valueOf(after, column))
                slot->reset();
        }
        if (it->isEmpty())
            m_staged.erase(it);
        emit stagedChanged();
    }
    rowChanged(after.name);
}

bool QueueSettingsModel::rebase(const QString &queue)
{
    auto it = m_staged.find(queue);
    const std::optional<QueueState> current = this->queue(queue);
    if (it == m_staged.end() || !current)
        return false;
    it->base = *current;
    for (int column : kEditableColumns) {
        std::optional<int> *slot = field(*it, column);
        if (*slot && **slot == valueOf(*current, column))
            slot->reset();
    }
    const bool left = !it->isEmpty();
    if (!left)
        m_staged.erase(it);
    rowChanged(queue);
    emit stagedChanged();
    return left;
}

void QueueSettingsModel::setEditable(bool editable)
{
    if (m_editable == editable)
        return;
    m_editable = editable;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void QueueSettingsModel::rowChanged(const QString &queue)
{
    const int row = rowOf(queue);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace mc
