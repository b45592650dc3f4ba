#include "thread_end.h"

#include "logging.h"

#include <spdlog/logger.h>

#include <QThread>

namespace mc {

void finishThread(QThread *thread, int waitMs)
{
    // Connected before quit(): the thread may finish at once, on its own.
    QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->quit();
    if (waitMs > 0 && !thread->wait(waitMs))
        log()->warn("a connection closed while a query still runs; it finishes in the background");
}

} // namespace mc
