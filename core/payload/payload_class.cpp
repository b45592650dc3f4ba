#include "payload_class.h"

#include "utf8_text.h"

namespace mc::payload {

QString PayloadClass::summary() const
{
    switch (kind) {
    case PayloadKind::ValidJson:
        return QStringLiteral("valid JSON");
    case PayloadKind::InvalidJson: {
        QString text = QStringLiteral("invalid JSON at byte %1: %2")
                           .arg(jsonError.byteOffset)
                           .arg(jsonError.reason);
        if (!isUtf8())
            text += QStringLiteral(" (binary / not UTF-8)");
        return text;
    }
    case PayloadKind::Text:
        return size == 0 ? QStringLiteral("empty") : QStringLiteral("text");
    case PayloadKind::Binary:
        if (!isUtf8())
            return QStringLiteral("binary / not UTF-8 (first at byte %1)").arg(invalidUtf8At);
        return QStringLiteral("binary (NUL byte at %1)").arg(nulAt);
    }
    return {};
}

bool isJsonContentType(const QString &contentType)
{
    const QString mediaType = contentType.section(u';', 0, 0).trimmed().toLower();
    return mediaType == QLatin1StringView("application/json")
           || mediaType == QLatin1StringView("text/json") || mediaType.endsWith(u"+json");
}

PayloadClass classifyPayload(QByteArrayView payload, const QString &contentType,
                             const std::atomic_bool *cancel)
{
    PayloadClass result;
    result.size = payload.size();
    result.invalidUtf8At = firstInvalidUtf8(payload);
    result.nulAt = payload.indexOf('\0');

    const bool jsonExpected = contentType.trimmed().isEmpty() || isJsonContentType(contentType);
    // Only a textual payload can be JSON; for the others the scan just finds where it stops.
    const bool worthScanning = jsonExpected || result.isTextual();
    if (worthScanning) {
        const JsonScanResult scan = scanJson(payload, nullptr, cancel);
        if (scan.isValid()) {
            result.kind = PayloadKind::ValidJson;
            result.jsonDepth = scan.maxDepth;
            return result;
        }
        if (jsonExpected) {
            result.kind = PayloadKind::InvalidJson;
            result.jsonError = scan.error;
            return result;
        }
    }
    result.kind = result.isTextual() ? PayloadKind::Text : PayloadKind::Binary;
    return result;
}

} // namespace mc::payload
