#include "latency_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <algorithm>
#include <list>
#include <stdexcept>
#include <vector>

namespace mc::latency {

namespace {

using Clock = std::chrono::steady_clock;

struct Chunk
{
    Clock::time_point due;
    std::string bytes;
    size_t sent = 0;
};

// One direction of a connection: bytes read from `from`, written to `to` when due.
struct Direction
{
    int from = -1;
    int to = -1;
    std::deque<Chunk> queue;
    bool readClosed = false; // `from` said EOF: shut `to` down once the queue is empty
    bool shutDown = false;
};

struct Link
{
    Direction up;   // client → server
    Direction down; // server → client
    bool clientSpokeLast = false;
    bool failed = false;
};

void setNonBlocking(int fd)
{
    const int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int connectTo(const std::string &host, int port)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1
        || ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    setNonBlocking(fd);
    return fd;
}

// Writes what is due; false when the peer is gone.
bool flush(Direction &d, Clock::time_point now)
{
    while (!d.queue.empty() && d.queue.front().due <= now) {
        Chunk &chunk = d.queue.front();
        const ssize_t n = ::send(d.to, chunk.bytes.data() + chunk.sent,
                                 chunk.bytes.size() - chunk.sent, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        chunk.sent += size_t(n);
        if (chunk.sent < chunk.bytes.size())
            return true;
        d.queue.pop_front();
    }
    if (d.queue.empty() && d.readClosed && !d.shutDown) {
        ::shutdown(d.to, SHUT_WR);
        d.shutDown = true;
    }
    return true;
}

} // namespace

LatencyProxy::LatencyProxy(std::string targetHost, int targetPort,
                           std::chrono::microseconds oneWay)
    : m_targetHost(std::move(targetHost)), m_targetPort(targetPort), m_delayUs(oneWay.count())
{
}

LatencyProxy::~LatencyProxy()
{
    stop();
}

int LatencyProxy::start(int listenPort)
{
    m_listenFd = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(listenPort));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (m_listenFd < 0 || bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), length) != 0
        || listen(m_listenFd, 16) != 0
        || getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) != 0
        || pipe(m_wakeFds) != 0) {
        const std::string why = std::strerror(errno);
        if (m_listenFd >= 0)
            ::close(m_listenFd);
        m_listenFd = -1;
        throw std::runtime_error("latency proxy: cannot listen on 127.0.0.1:"
                                 + std::to_string(listenPort) + ": " + why);
    }
    m_port = ntohs(address.sin_port);
    m_stop = false;
    m_thread = std::thread([this] { loop(); });
    return m_port;
}

void LatencyProxy::stop()
{
    if (!m_thread.joinable())
        return;
    m_stop = true;
    const char byte = 0;
    [[maybe_unused]] const ssize_t n = ::write(m_wakeFds[1], &byte, 1);
    m_thread.join();
    ::close(m_listenFd);
    ::close(m_wakeFds[0]);
    ::close(m_wakeFds[1]);
    m_listenFd = m_wakeFds[0] = m_wakeFds[1] = -1;
}

ProxyCounts LatencyProxy::counts() const
{
    return {m_connections.load(), m_roundTrips.load(), m_bytesUp.load(), m_bytesDown.load()};
}

void LatencyProxy::resetCounts()
{
    m_connections = 0;
    m_roundTrips = 0;
    m_bytesUp = 0;
    m_bytesDown = 0;
}

void LatencyProxy::loop()
{
    std::list<Link> links;
    std::vector<pollfd> fds;
    std::vector<Direction *> owners; // per pollfd past the first two: the direction it reads
    char buffer[65536];
    while (!m_stop) {
        fds.clear();
        owners.clear();
        fds.push_back({m_listenFd, POLLIN, 0});
        fds.push_back({m_wakeFds[0], POLLIN, 0});
        Clock::time_point next = Clock::time_point::max();
        const Clock::time_point before = Clock::now();
        for (Link &link : links) {
            // One pollfd per socket: readable for its own direction, writable when the other
            // direction has bytes due for it.
            for (Direction *d : {&link.up, &link.down}) {
                Direction *other = d == &link.up ? &link.down : &link.up;
                short events = d->readClosed ? 0 : POLLIN;
                if (!other->queue.empty()) {
                    if (other->queue.front().due <= before)
                        events |= POLLOUT;
                    else
                        next = std::min(next, other->queue.front().due);
                }
                fds.push_back({d->from, events, 0});
                owners.push_back(d);
            }
        }
        // Microsecond timeouts (ppoll): poll()'s milliseconds would add up to 1 ms a leg.
        timespec timeout{};
        timespec *until = nullptr;
        if (next != Clock::time_point::max()) {
            const auto wait = std::max<std::int64_t>(
                0, std::chrono::duration_cast<std::chrono::nanoseconds>(next - Clock::now())
                       .count());
            timeout.tv_sec = time_t(wait / 1'000'000'000);
            timeout.tv_nsec = long(wait % 1'000'000'000);
            until = &timeout;
        }
        if (::ppoll(fds.data(), fds.size(), until, nullptr) < 0 && errno != EINTR)
            break;
        if (m_stop)
            break;
        if (fds[0].revents & POLLIN) {
            const int client = ::accept(m_listenFd, nullptr, nullptr);
            if (client >= 0) {
                const int server = connectTo(m_targetHost, m_targetPort);
                if (server < 0) {
                    ::close(client);
                } else {
                    setNonBlocking(client);
                    Link &link = links.emplace_back();
                    link.up.from = client;
                    link.up.to = server;
                    link.down.from = server;
                    link.down.to = client;
                    ++m_connections;
                }
            }
        }
        const auto delay = std::chrono::microseconds(m_delayUs.load());
        for (size_t i = 0; i < owners.size(); ++i) {
            Direction *d = owners[i];
            if (!(fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) || d->readClosed)
                continue;
            const ssize_t n = ::recv(d->from, buffer, sizeof buffer, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                d->readClosed = true;
                continue;
            }
            if (n < 0)
                continue;
            d->queue.push_back({Clock::now() + delay, std::string(buffer, size_t(n)), 0});
            for (Link &link : links) {
                if (&link.up == d) {
                    m_bytesUp += n;
                    if (!link.clientSpokeLast)
                        ++m_roundTrips;
                    link.clientSpokeLast = true;
                } else if (&link.down == d) {
                    m_bytesDown += n;
                    link.clientSpokeLast = false;
                }
            }
        }
        const Clock::time_point now = Clock::now();
        for (auto it = links.begin(); it != links.end();) {
            const bool ok = flush(it->up, now) && flush(it->down, now);
            const bool done = (it->up.shutDown && it->down.shutDown)
                || (it->up.readClosed && it->down.readClosed && it->up.queue.empty()
                    && it->down.queue.empty());
            if (!ok || done) {
                ::close(it->up.from);
                ::close(it->down.from);
                it = links.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (Link &link : links) {
        ::close(link.up.from);
        ::close(link.down.from);
    }
}

} // namespace mc::latency
