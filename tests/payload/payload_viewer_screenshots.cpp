// Renders the payload viewer offscreen with a realistic failed record's payload, for the docs:
//   QT_QPA_PLATFORM=offscreen payload-viewer-screenshots docs/screenshots

#include "payload_viewer.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

using mc::widgets::PayloadViewer;

namespace {

QByteArray orderPayload()
{
    return R"({"id":5120344,"type":"order","portal":"lt","created_at":"2025-11-24T15:58:02Z",)"
           R"("buyer":{"id":88123,"login":"rūta.k","email":"ruta@example.lt","verified":true,)"
           R"("address":{"street":"Gedimino pr. 9","city":"Vilnius","zip":"LT-01103","country":"LT"}},)"
           R"("seller":{"id":4411,"login":"vintage_shop","rating":4.87},)"
           R"("items":[{"id":99001,"title":"Wool coat \"Nordic\"","price":{"amount":"89.90","currency":"EUR"},)"
           R"("size":"M","brand_id":null,"photos":3},)"
           R"({"id":99002,"title":"Leather boots","price":{"amount":"45.00","currency":"EUR"},)"
           R"("size":"39","brand_id":1207,"photos":5}],)"
           R"("shipping":{"carrier":"omniva","tracking":null,"cost":2.99e0},)"
           R"("discount":-5.5,"gift":false,"notes":"Palikti prie durų \u2014 ačiū!","tags":[]})";
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(out);

    // As embedded in a detail pane: with a margin around it.
    QWidget window;
    auto *viewerPtr = new PayloadViewer(&window);
    PayloadViewer &viewer = *viewerPtr;
    auto *layout = new QVBoxLayout(&window);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(viewerPtr);
    window.resize(760, 560);
    window.show();
    viewer.setPayload(orderPayload(), QStringLiteral("application/json"));
    app.processEvents();
    viewer.findChild<QLineEdit *>(QStringLiteral("payloadSearch"))->setText(QStringLiteral("price"));
    app.processEvents();
    if (!window.grab().save(out + QStringLiteral("/payload-viewer.png")))
        return 1;

    viewer.findChild<QLineEdit *>(QStringLiteral("payloadSearch"))->clear();
    viewer.setCurrentTab(PayloadViewer::Tab::Tree);
    auto *tree = viewer.findChild<QTreeView *>(QStringLiteral("treeView"));
    tree->expandRecursively(tree->model()->index(0, 0), 2);
    app.processEvents();
    if (!window.grab().save(out + QStringLiteral("/payload-viewer-tree.png")))
        return 1;

    QByteArray binary;
    for (int i = 0; i < 640; ++i)
        binary += char((i * 37) ^ (i >> 3));
    binary.replace(100, 22, "\x89PNG\r\n\x1a\n IHDR order 5120344");
    viewer.setPayload(binary, QStringLiteral("application/octet-stream"));
    app.processEvents();
    if (!window.grab().save(out + QStringLiteral("/payload-viewer-hex.png")))
        return 1;

    QByteArray broken = orderPayload();
    broken.replace(R"("photos":5}])", R"("photos":5},])");
    viewer.setPayload(broken, QStringLiteral("application/json"));
    app.processEvents();
    if (!window.grab().save(out + QStringLiteral("/payload-viewer-invalid.png")))
        return 1;
    return 0;
}
