#include "failure_factory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace mc::fleet {

namespace {

const QStringList &names()
{
    static const QStringList list{
        QStringLiteral("Žydrūnas Kazlauskas"), QStringLiteral("Jürgen Müller-Lüdenscheidt"),
        QStringLiteral("François Lefèvre"), QStringLiteral("Zoë D'Arcy"),
        QStringLiteral("Łukasz Żółćiński"), QStringLiteral("Åsa Ødegård"),
        QStringLiteral("Σωκράτης Παπαδόπουλος"), QStringLiteral("Дмитрий Иванов"),
        QStringLiteral("李小龍"), QStringLiteral("山田 太郎"), QStringLiteral("محمد الأحمد"),
        QStringLiteral("שרה כהן"), QStringLiteral("Ana 🌸 Silva"),
        QStringLiteral("O'Brien \"Bob\" Jr."), QStringLiteral("Ieva Šimkutė"),
        QStringLiteral("Gintarė Žemaitytė"), QStringLiteral("Renée Søren-Æbelø"),
        QStringLiteral("Nguyễn Văn Anh"), QStringLiteral("Ayşe Yılmaz"),
        QStringLiteral("Robert'); DROP TABLE users;--"), QStringLiteral("zero\u200Bwidth"),
        QStringLiteral("👩‍👩‍👧‍👦 family"), QStringLiteral("Ǹ̴͉ä̵̟m̸̙e̶̻ ̷͎z̷̢a̸͜l̵̠g̵̹o̵͈"),
    };
    return list;
}

const QStringList &titles()
{
    static const QStringList list{
        QStringLiteral("Vintage Levi's 501 džinsai"), QStringLiteral("Nike Air Max 90 — Größe 42"),
        QStringLiteral("Robe d'été à fleurs, taille M"), QStringLiteral("iPhone 12 (64 GB) 📱"),
        QStringLiteral("Lego 42115 \"Lamborghini Sián\""), QStringLiteral("Žieminė striukė"),
        QStringLiteral("Kinderwagen – wie neu!"), QStringLiteral("Sac à main en cuir véritable"),
        QStringLiteral("Книга \"Мастер и Маргарита\""), QStringLiteral("ワンピース 花柄"),
        QStringLiteral("Plain T-shirt, white, 100% cotton"),
    };
    return list;
}

const QStringList &cities()
{
    static const QStringList list{QStringLiteral("Vilnius"), QStringLiteral("Kaunas"),
                                  QStringLiteral("München"), QStringLiteral("Köln"),
                                  QStringLiteral("Besançon"), QStringLiteral("Saint-Étienne"),
                                  QStringLiteral("Šiauliai"), QStringLiteral("Łódź")};
    return list;
}

QString isoTime(FleetRandom &random)
{
    return QStringLiteral("2024-%1-%2T%3:%4:%5.%6Z")
        .arg(random.between(1, 12), 2, 10, QLatin1Char('0'))
        .arg(random.between(1, 28), 2, 10, QLatin1Char('0'))
        .arg(random.between(0, 23), 2, 10, QLatin1Char('0'))
        .arg(random.between(0, 59), 2, 10, QLatin1Char('0'))
        .arg(random.between(0, 59), 2, 10, QLatin1Char('0'))
        .arg(random.between(0, 999), 3, 10, QLatin1Char('0'));
}

QJsonObject userRecord(FleetRandom &random, const UserKey &user)
{
    const QString name = random.pick(names());
    return QJsonObject{
        {QStringLiteral("id"), double(user.userId)},
        {QStringLiteral("login"), QStringLiteral("user_%1").arg(user.userId)},
        {QStringLiteral("real_name"), name},
        {QStringLiteral("email"), QStringLiteral("user%1@example.%2").arg(user.userId).arg(user.portal)},
        {QStringLiteral("locale"), user.portal},
        {QStringLiteral("created_at"), isoTime(random)},
        {QStringLiteral("profile"),
         QJsonObject{{QStringLiteral("about"), QStringLiteral("Sveiki! Parduodu tai, ko nebenešioju 🙂")},
                     {QStringLiteral("city"), random.pick(cities())},
                     {QStringLiteral("avatar"),
                      QJsonObject{{QStringLiteral("url"),
                                   QStringLiteral("https://images.example/%1/avatar.jpg")
                                       .arg(user.userId)},
                                  {QStringLiteral("width"), 640},
                                  {QStringLiteral("height"), 640}}}}},
        {QStringLiteral("consents"),
         QJsonArray{QStringLiteral("listing"), QStringLiteral("messaging")}},
    };
}

QJsonObject itemRecord(FleetRandom &random, const UserKey &user, qint64 id)
{
    QJsonArray photos;
    for (qint64 p = 0, n = random.between(0, 4); p < n; ++p)
        photos.append(QJsonObject{{QStringLiteral("id"), double(id * 10 + p)},
                                  {QStringLiteral("url"),
                                   QStringLiteral("https://images.example/items/%1/%2.jpg")
                                       .arg(id)
                                       .arg(p)}});
    return QJsonObject{
        {QStringLiteral("id"), double(id)},
        {QStringLiteral("user_id"), double(user.userId)},
        {QStringLiteral("title"), random.pick(titles())},
        {QStringLiteral("description"), QStringLiteral("Dėvėta kelis kartus. Getragen, très bon état.")},
        {QStringLiteral("price"),
         QJsonObject{{QStringLiteral("amount"),
                      QStringLiteral("%1.%2").arg(random.between(1, 400)).arg(random.between(0, 99), 2, 10, QLatin1Char('0'))},
                     {QStringLiteral("currency"), QStringLiteral("EUR")}}},
        {QStringLiteral("brand"), QJsonObject{{QStringLiteral("id"), double(random.between(1, 90000))},
                                              {QStringLiteral("title"), QStringLiteral("Zara")}}},
        {QStringLiteral("photos"), photos},
        {QStringLiteral("status"), random.chance(0.2) ? QStringLiteral("hidden") : QStringLiteral("visible")},
        {QStringLiteral("deleted_at"), QJsonValue::Null},
    };
}

QJsonObject messageRecord(FleetRandom &random, const UserKey &user, qint64 id)
{
    return QJsonObject{
        {QStringLiteral("id"), double(id)},
        {QStringLiteral("conversation_id"), double(random.between(1, 1'000'000'000))},
        {QStringLiteral("sender_id"), double(user.userId)},
        {QStringLiteral("body"), QStringLiteral("Labas, ar dar parduodate? Ist der Artikel noch da? 🙏 ") + random.pick(names())},
        {QStringLiteral("sent_at"), isoTime(random)},
        {QStringLiteral("attachments"), QJsonArray{}},
    };
}

QJsonObject genericRecord(FleetRandom &random, const UserKey &user, const CatalogueModel &model,
                          qint64 id)
{
    return QJsonObject{
        {QStringLiteral("id"), double(id)},
        {QStringLiteral("user_id"), double(user.userId)},
        {QStringLiteral("model"), model.model.name},
        {QStringLiteral("created_at"), isoTime(random)},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("note"), random.pick(names())},
                     {QStringLiteral("amount"), QStringLiteral("%1.00").arg(random.between(1, 999))},
                     {QStringLiteral("nested"),
                      QJsonObject{{QStringLiteral("level"), 2},
                                  {QStringLiteral("tags"), QJsonArray{QStringLiteral("ąčę"), QStringLiteral("ßüö")}}}}}},
    };
}

QJsonObject recordFor(FleetRandom &random, const UserKey &user, const CatalogueModel &model,
                      qint64 id)
{
    const QString &name = model.model.name;
    if (name == QLatin1String("users"))
        return userRecord(random, user);
    if (name == QLatin1String("items") || name == QLatin1String("item_photos")
        || name == QLatin1String("liked_items"))
        return itemRecord(random, user, id);
    if (name == QLatin1String("messages"))
        return messageRecord(random, user, id);
    return genericRecord(random, user, model, id);
}

struct ErrorKind
{
    const char *errorClass;
    bool transient;
    QString (*message)(FleetRandom &, const UserKey &, const CatalogueModel &, qint64 recordId);
};

const ErrorKind kErrors[] = {
    {"ActiveRecord::RecordInvalid", false,
     [](FleetRandom &r, const UserKey &u, const CatalogueModel &, qint64) {
         return r.chance(0.5) ? QStringLiteral("Validation failed: Email 'user%1@example.%2' has already been taken").arg(u.userId).arg(u.portal)
                              : QStringLiteral("Validation failed: Title is too long (maximum is 100 characters), Price must be greater than 0");
     }},
    {"ActiveRecord::RecordNotUnique", false,
     [](FleetRandom &, const UserKey &, const CatalogueModel &m, qint64 id) {
         return QStringLiteral("PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint \"index_%1_on_source_id\"\nDETAIL:  Key (source_id)=(%2) already exists.").arg(m.model.name).arg(id);
     }},
    {"Merge::ConsentMissing", false,
     [](FleetRandom &, const UserKey &u, const CatalogueModel &m, qint64) {
         return QStringLiteral("user %1 has not given consent '%2' required by %3").arg(u.userId).arg(m.model.consent.isEmpty() ? QStringLiteral("marketing") : m.model.consent, m.model.name);
     }},
    {"Merge::MappingNotFound", false,
     [](FleetRandom &r, const UserKey &u, const CatalogueModel &m, qint64) {
         return QStringLiteral("no target id for %1 source id %2 (portal '%3')").arg(m.model.name).arg(r.between(1, 900'000'000)).arg(u.portal);
     }},
    {"JSON::ParserError", false,
     [](FleetRandom &, const UserKey &, const CatalogueModel &, qint64) {
         return QStringLiteral("unexpected token at '{\"title\": \"Robe d'été' (line 1, column 42)");
     }},
    {"Encoding::UndefinedConversionError", false,
     [](FleetRandom &, const UserKey &, const CatalogueModel &, qint64) {
         return QStringLiteral("\"\\xF0\" from ASCII-8BIT to UTF-8");
     }},
    {"Merge::PayloadTooLarge", false,
     [](FleetRandom &r, const UserKey &, const CatalogueModel &, qint64) {
         return QStringLiteral("payload of %1 bytes exceeds the limit of 1048576 bytes").arg(r.between(1'048'577, 9'000'000));
     }},
    {"Aws::S3::Errors::NoSuchKey", false,
     [](FleetRandom &, const UserKey &u, const CatalogueModel &, qint64 id) {
         return QStringLiteral("The specified key does not exist: photos/%1/%2.jpg").arg(u.userId).arg(id);
     }},
    {"Net::ReadTimeout", true,
     [](FleetRandom &r, const UserKey &, const CatalogueModel &, qint64) {
         return QStringLiteral("Net::ReadTimeout with #<TCPSocket:(closed)> after %1 seconds").arg(r.chance(0.5) ? 30 : 60);
     }},
    {"Faraday::ConnectionFailed", true,
     [](FleetRandom &, const UserKey &, const CatalogueModel &, qint64) {
         return QStringLiteral("Failed to open TCP connection to photos.internal:443 (Connection refused - connect(2) for \"photos.internal\" port 443)");
     }},
    {"ActiveRecord::Deadlocked", true,
     [](FleetRandom &, const UserKey &, const CatalogueModel &m, qint64) {
         return QStringLiteral("PG::TRDeadlockDetected: ERROR:  deadlock detected\nDETAIL:  Process 48211 waits for ShareLock on transaction 99120311; blocked by process 48007.\nCONTEXT:  while inserting index tuple in relation \"%1\"").arg(m.model.name);
     }},
};

QString backtrace(FleetRandom &random, const CatalogueModel &model, const QString &phase,
                  const char *errorClass)
{
    const QString step = phase == QLatin1String("serialize") ? QStringLiteral("serializer")
                                                             : QStringLiteral("creator");
    QStringList lines{
        QStringLiteral("/app/app/services/merge/%1/%2.rb:%3:in `%4_record!'")
            .arg(model.model.name, step)
            .arg(40 + stableHash(QString::fromUtf8(errorClass)) % 80)
            .arg(phase),
        QStringLiteral("/app/app/services/merge/%1/%2.rb:%3:in `block in call'")
            .arg(model.model.name, step)
            .arg(20 + random.between(0, 3)),
        QStringLiteral("/usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/"
                       "connection_adapters/abstract/database_statements.rb:342:in `transaction'"),
        QStringLiteral("/usr/local/bundle/gems/activerecord-7.1.3/lib/active_record/"
                       "transactions.rb:212:in `transaction'"),
        QStringLiteral("/app/app/services/merge/base_%1.rb:57:in `each_record'").arg(step),
        QStringLiteral("/app/app/services/merge/base_%1.rb:31:in `call'").arg(step),
        QStringLiteral("/app/app/jobs/merge/%1_job.rb:18:in `perform'").arg(phase),
        QStringLiteral("/usr/local/bundle/gems/sidekiq-7.2.0/lib/sidekiq/processor.rb:202:in "
                       "`execute_job'"),
        QStringLiteral("/usr/local/bundle/gems/sidekiq-7.2.0/lib/sidekiq/processor.rb:170:in "
                       "`block (2 levels) in process'"),
    };
    for (qint64 i = 0, extra = random.between(0, 12); i < extra; ++i)
        lines << QStringLiteral("/usr/local/bundle/gems/sidekiq-7.2.0/lib/sidekiq/middleware/"
                                "chain.rb:%1:in `block in invoke'")
                     .arg(180 + i);
    return lines.join(QLatin1Char('\n'));
}

QByteArray bigPayload(FleetRandom &random, const UserKey &user, const CatalogueModel &model)
{
    // A conversation or wardrobe export: hundreds of kilobytes up to two megabytes.
    const qint64 target = random.between(256 * 1024, 2 * 1024 * 1024);
    QJsonArray records;
    qint64 size = 0;
    for (qint64 i = 0; size < target; ++i) {
        const QJsonObject record = recordFor(random, user, model, user.userId * 1000 + i);
        size += QJsonDocument(record).toJson(QJsonDocument::Compact).size() + 1;
        records.append(record);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("export"), model.model.name},
                                     {QStringLiteral("records"), records}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray FailureFactory::payload(FleetRandom &random, const UserKey &user,
                                   const CatalogueModel &model, QString *contentType,
                                   double largeShare)
{
    *contentType = QStringLiteral("application/json");
    if (random.chance(largeShare))
        return bigPayload(random, user, model);
    const double kind = random.unit();
    if (kind < 0.01) {
        // Binary: a photo the serializer attached as it was.
        *contentType = random.chance(0.5) ? QStringLiteral("image/jpeg")
                                          : QStringLiteral("application/octet-stream");
        QByteArray bytes("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
        for (qint64 i = 0, n = random.between(200, 8000); i < n; ++i)
            bytes.append(char(random.next() & 0xFF));
        return bytes;
    }
    const qint64 recordId = user.userId * 1000 + random.between(0, 999);
    QByteArray json = QJsonDocument(recordFor(random, user, model, recordId))
                          .toJson(QJsonDocument::Compact);
    if (kind < 0.02)
        return json.left(json.size() * 2 / 3); // cut off mid-record
    if (kind < 0.03) {
        json.insert(json.size() / 2, "\xC3\x28\xFF"); // invalid UTF-8 inside a string
        return json;
    }
    return json;
}

SimulatedFailure FailureFactory::make(FleetRandom &random, const UserKey &user,
                                      const CatalogueModel &model, const QString &phase,
                                      bool transient, double largeShare)
{
    QList<const ErrorKind *> candidates;
    for (const ErrorKind &kind : kErrors)
        if (kind.transient == transient)
            candidates.append(&kind);
    const ErrorKind &kind = *random.pick(candidates);
    const qint64 recordNumber = random.between(1, 900'000'000);

    SimulatedFailure failure;
    failure.recordId = QStringLiteral("%1:%2").arg(model.model.name).arg(recordNumber);
    failure.payload = payload(random, user, model, &failure.contentType, largeShare);
    failure.errorClass = QString::fromUtf8(kind.errorClass);
    failure.message = kind.message(random, user, model, recordNumber);
    failure.backtrace = backtrace(random, model, phase, kind.errorClass);
    failure.transient = kind.transient;
    return failure;
}

} // namespace mc::fleet
