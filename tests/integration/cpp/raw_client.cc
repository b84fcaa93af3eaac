#include "raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <stdexcept>
#include <string>

namespace strata::test {
namespace {

bool read_exact(int fd, uint8_t* p, size_t n, int timeout_ms = 10000) {
    while (n > 0) {
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
        ssize_t got = ::recv(fd, p, n, 0);
        if (got <= 0) return false;
        p += got;
        n -= size_t(got);
    }
    return true;
}

} // namespace

int connect_to(const broker_address& to, const char* source_address, int timeout_ms) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source_address) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        if (::inet_pton(AF_INET, source_address, &local.sin_addr) != 1 ||
            ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
            ::close(fd);
            return -1;
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(to.port);
    if (::inet_pton(AF_INET, to.host.c_str(), &addr.sin_addr) != 1) {
        ::close(fd);
        return -1;
    }
    // Non-blocking while connecting, so that a host that drops every packet
    // costs the timeout, not the kernel's minutes of SYN retries.
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    if (rc != 0 && errno == EINPROGRESS) {
        pollfd pfd{fd, POLLOUT, 0};
        int err = 0;
        socklen_t len = sizeof err;
        rc = ::poll(&pfd, 1, timeout_ms) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0
                 ? 0
                 : -1;
    }
    if (rc != 0) {
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, flags);
    return fd;
}

raw_client::raw_client(const broker_address& to, const char* source_address) : fd_(connect_to(to, source_address)) {
    if (fd_ < 0)
        throw std::runtime_error(std::string("cannot connect to the broker") +
                                 (source_address ? std::string(" from ") + source_address : std::string()));
}

raw_client::~raw_client() { ::close(fd_); }

void raw_client::send_raw(const std::vector<uint8_t>& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;  // the broker may have closed; tests check that separately
        sent += size_t(n);
    }
}

void raw_client::send_frame(const std::vector<uint8_t>& payload) {
    std::vector<uint8_t> bytes(4);
    auto n = uint32_t(payload.size());
    for (int i = 0; i < 4; ++i) bytes[size_t(i)] = uint8_t(n >> (24 - 8 * i));
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    send_raw(bytes);
}

std::optional<std::vector<uint8_t>> raw_client::receive_frame(int timeout_ms) {
    uint8_t size_bytes[4];
    if (!read_exact(fd_, size_bytes, 4, timeout_ms)) return std::nullopt;
    uint32_t size = uint32_t(size_bytes[0]) << 24 | uint32_t(size_bytes[1]) << 16 | uint32_t(size_bytes[2]) << 8 |
                    size_bytes[3];
    std::vector<uint8_t> frame(size);
    if (!read_exact(fd_, frame.data(), size)) return std::nullopt;
    return frame;
}

bool raw_client::closed_by_peer(int timeout_ms) {
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) <= 0) return false;
    uint8_t b;
    return ::recv(fd_, &b, 1, MSG_PEEK) == 0;
}

} // namespace strata::test
