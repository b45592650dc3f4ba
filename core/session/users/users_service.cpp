#include "users_service.h"

#include "feature_service_calls.h"

namespace mc {

void UsersService::findUserByTarget(QObject *receiver, qint64 targetUserId,
                                    Reply<std::optional<UserKey>> reply)
{
    call<std::optional<UserKey>>(
        receiver, [targetUserId](MergeStore &store) { return store.findUserByTarget(targetUserId); },
        std::move(reply));
}

void UsersService::readDossier(QObject *receiver, const UserKey &user, Reply<UserDossier> reply)
{
    call<UserDossier>(
        receiver, [user](MergeStore &store) { return store.userDossier(user); }, std::move(reply));
}

void UsersService::readHistory(QObject *receiver, const UserKey &user, Reply<UserHistory> reply)
{
    call<UserHistory>(
        receiver, [user](MergeStore &store) { return readUserHistory(store, user); },
        std::move(reply));
}

void UsersService::retryUser(QObject *receiver, const RetryRequest &request,
                             Reply<RetryReport> reply)
{
    call<RetryReport>(
        receiver, [request](MergeStore &store) { return store.retryUsers(request, {}); },
        std::move(reply));
}

void UsersService::retryList(QObject *receiver, const RetryRequest &request,
                             std::shared_ptr<RetryListProgress> progress, Reply<RetryReport> reply)
{
    callBulk<RetryReport>(
        receiver,
        [request, progress](MergeStore &store) {
            BulkControl control;
            control.cancel = &progress->cancel;
            control.onProgress = [progress](const RetryProgress &p) {
                progress->total = p.total;
                progress->processed = p.processed;
            };
            return store.retryUsers(request, control);
        },
        std::move(reply));
}

} // namespace mc
