#pragma once

// Rollout flags admit users to the migration by a stable hash: a user's bucket of a flag is a
// number in [0, 10000) that never changes, and a portal's flag at P basis points (percentage
// × 100) admits exactly the users whose bucket is below P. Raising 5 % → 10 % therefore keeps
// every user the 5 % admitted and adds the buckets 500 … 999.
//
// bucket(flag, userId) = the first four bytes of MD5("<flag>:<userId>") read as an unsigned
// big-endian number, modulo 10000; userId is written in decimal ("-5" for −5). MD5 is used
// because both servers have it: the schema stores the bucket of the flag kAdmissionFlag in
// user_migrations.rollout_bucket with the same expression, so SQL and C++ always agree.

#include <QString>
#include <QtGlobal>

namespace mc {

// The one rollout flag that admits users of a merge database (a convention: its bucket is the
// stored user_migrations.rollout_bucket column). Other flags may exist; only this one admits.
inline const QString kAdmissionFlag = QStringLiteral("merge");

inline constexpr int kRolloutBuckets = 10'000; // basis points: 10 000 = 100 %

int rolloutBucket(const QString &flag, qint64 userId);

// Whether a user in `bucket` is admitted at `basisPoints` (0 admits nobody, 10 000 everybody).
inline bool isAdmitted(int bucket, int basisPoints)
{
    return bucket < basisPoints;
}

} // namespace mc
