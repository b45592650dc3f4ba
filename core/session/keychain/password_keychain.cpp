#include "password_keychain.h"

#include "connection_url.h"
#include "logging.h"

#include <qt6keychain/keychain.h>
#include <spdlog/spdlog.h>

namespace mc {

PasswordKeychain::PasswordKeychain(QObject *parent) : QObject(parent) {}

QString PasswordKeychain::keyFor(const QString &url)
{
    const auto parsed = ConnectionUrl::parse(url);
    if (!parsed)
        return {};
    const sql::ConnectionSettings &s = parsed->settings;
    const QString where = s.socket.isEmpty() ? QStringLiteral("%1:%2").arg(s.host).arg(s.port)
                                             : s.socket;
    return QStringLiteral("%1://%2@%3/%4")
        .arg(backendName(parsed->backend), s.user, where, s.database);
}

QString PasswordKeychain::serviceName()
{
    return QStringLiteral("Migration Console");
}

QString PasswordKeychain::unavailableText()
{
    return tr("No keychain service is running: the password will be asked each time.");
}

void PasswordKeychain::read(const QString &key)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName(), this);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        if (job->error() == QKeychain::EntryNotFound) {
            setAvailability(Availability::Available);
            emit passwordRead(key, {});
            return;
        }
        if (noteOutcome(job))
            emit passwordRead(key, {});
        else
            emit passwordRead(key, job->textData());
    });
    job->start();
}

void PasswordKeychain::remember(const QString &key, const QString &password)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName(), this);
    job->setKey(key);
    job->setInsecureFallback(false);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        if (!noteOutcome(job))
            emit remembered(key);
    });
    job->start();
}

void PasswordKeychain::forget(const QString &key)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName(), this);
    job->setKey(key);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        if (job->error() == QKeychain::EntryNotFound || !noteOutcome(job))
            emit forgotten(key);
    });
    job->start();
}

bool PasswordKeychain::noteOutcome(QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoError:
        setAvailability(Availability::Available);
        return false;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        break;
    case QKeychain::OtherError:
        // libsecret reports an absent Secret Service (no session bus, or nothing providing
        // org.freedesktop.secrets) as a plain error: until the keychain has answered once, that
        // is what it means.
        if (m_availability != Availability::Available)
            break;
        [[fallthrough]];
    default:
        log()->warn("keychain: {}", job->errorString().toStdString());
        emit failed(job->key(), job->errorString());
        return true;
    }
    // The job's text can name the D-Bus address; the operator needs only unavailableText().
    log()->info("keychain: no service ({})", job->errorString().toStdString());
    setAvailability(Availability::Unavailable);
    return true;
}

void PasswordKeychain::setAvailability(Availability availability)
{
    if (availability == m_availability)
        return;
    m_availability = availability;
    emit availabilityKnown(availability);
    if (availability == Availability::Unavailable)
        emit unavailable(unavailableText());
}

} // namespace mc
