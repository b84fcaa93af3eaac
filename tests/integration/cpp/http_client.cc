#include "http_client.h"

#include <sys/socket.h>
#include <unistd.h>

#include "raw_client.h"

namespace strata::test {

std::string http_request(uint16_t port, const std::string& method, const std::string& path, const std::string& body,
                         const std::string& content_type) {
    int fd = connect_loopback(port);
    if (fd < 0) return {};
    std::string req = method + " " + path + " HTTP/1.0\r\nHost: localhost\r\n";
    if (!body.empty())
        req += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    req += "\r\n" + body;
    (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    std::string out;
    char buf[8192];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, size_t(n));
    ::close(fd);
    return out;
}

std::string http_body(const std::string& response) {
    auto at = response.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : response.substr(at + 4);
}

double metric_sample(const std::string& text, const std::string& series) {
    auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
}

} // namespace strata::test
