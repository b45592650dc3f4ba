#pragma once

// The Users view's calls: find a user by target id, a user's dossier and history, retry one user
// (interactive), and retry a pasted list in batches with progress and cancel (bulk connection).

#include "feature_service.h"
#include "user_history.h"

#include <atomic>
#include <memory>

namespace mc {

// Shared between the GUI thread (reads progress, sets cancel) and the bulk connection.
struct RetryListProgress
{
    std::atomic<qint64> total{0};
    std::atomic<qint64> processed{0};
    std::atomic_bool cancel{false};
};

class UsersService : public FeatureService
{
    Q_OBJECT

public:
    using FeatureService::FeatureService;

    void findUserByTarget(QObject *receiver, qint64 targetUserId,
                          Reply<std::optional<UserKey>> reply);
    void readDossier(QObject *receiver, const UserKey &user, Reply<UserDossier> reply);
    void readHistory(QObject *receiver, const UserKey &user, Reply<UserHistory> reply);
    void retryUser(QObject *receiver, const RetryRequest &request, Reply<RetryReport> reply);
    void retryList(QObject *receiver, const RetryRequest &request,
                   std::shared_ptr<RetryListProgress> progress, Reply<RetryReport> reply);
};

} // namespace mc
