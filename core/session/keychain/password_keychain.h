#pragma once

// Remembered passwords in the operator's OS keychain through QtKeychain (Secret Service or
// KWallet on Linux, the macOS Keychain, the Windows Credential Manager). Every call is a job the
// keychain answers later with a signal: the GUI thread never waits for it. When no keychain
// service answers, availability() says so and nothing is kept anywhere else: QtKeychain's
// plaintext fallback stays off, so a password is never written to a settings file.

#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace mc {

class PasswordKeychain : public QObject
{
    Q_OBJECT

public:
    enum class Availability { Unknown, Available, Unavailable };

    explicit PasswordKeychain(QObject *parent = nullptr);

    // The entry a password is remembered under: the server and login the URL names,
    // "postgresql://user@host:port/database" (no password, no parameters), so that a profile and
    // the same URL typed by hand share it. Empty when the URL does not parse.
    static QString keyFor(const QString &url);
    // The service name the entries are stored under ("Migration Console").
    static QString serviceName();
    // What the console says when no keychain service answers.
    static QString unavailableText();

    // Answers with passwordRead (empty when nothing is remembered for the key).
    void read(const QString &key);
    // Answers with remembered or failed.
    void remember(const QString &key, const QString &password);
    // Answers with forgotten (also when nothing was remembered) or failed.
    void forget(const QString &key);

    Availability availability() const { return m_availability; }

signals:
    void passwordRead(const QString &key, const QString &password);
    void remembered(const QString &key);
    void forgotten(const QString &key);
    // No keychain service answers: the password will be asked each time.
    void unavailable(const QString &message);
    void availabilityKnown(mc::PasswordKeychain::Availability availability);
    void failed(const QString &key, const QString &message);

private:
    // True when the job failed; records whether a keychain service answered at all.
    bool noteOutcome(QKeychain::Job *job);
    void setAvailability(Availability availability);

    Availability m_availability = Availability::Unknown;
};

} // namespace mc
