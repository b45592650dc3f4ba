#pragma once

// Failed records as a real serializer and creator produce them: the record's original payload
// (JSON with Unicode names and nested objects; now and then very large, malformed or binary),
// an error class, a message with ids and quoted values, and a backtrace.

#include "fleet_catalogue.h"
#include "fleet_random.h"

#include <QByteArray>

namespace mc::fleet {

struct SimulatedFailure
{
    QString recordId;
    QByteArray payload;
    QString contentType;
    QString errorClass;
    QString message;
    QString backtrace;
    bool transient = false; // a timeout or deadlock that a later attempt gets past

    QString lastError() const { return errorClass + QStringLiteral(": ") + message; }
};

class FailureFactory
{
public:
    // One failed record of `model` for `user` in `phase` ("serialize" or "create"). A transient
    // failure is a network or lock error; a persistent one fails every attempt. `largeShare` of
    // the payloads are exports of 256 KB to 2 MB; 1 % are binary, 2 % malformed JSON.
    static SimulatedFailure make(FleetRandom &random, const UserKey &user,
                                 const CatalogueModel &model, const QString &phase,
                                 bool transient, double largeShare = 0.003);

    // The record's payload alone, as the serializer wrote it.
    static QByteArray payload(FleetRandom &random, const UserKey &user,
                              const CatalogueModel &model, QString *contentType,
                              double largeShare = 0.003);
};

} // namespace mc::fleet
