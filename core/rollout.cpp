#include "rollout.h"

#include <QCryptographicHash>

namespace mc {

int rolloutBucket(const QString &flag, qint64 userId)
{
    const QByteArray key = flag.toUtf8() + ':' + QByteArray::number(userId);
    const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Md5);
    quint32 head = 0;
    for (int i = 0; i < 4; ++i)
        head = (head << 8) | quint32(quint8(digest.at(i)));
    return int(head % quint32(kRolloutBuckets));
}

} // namespace mc
