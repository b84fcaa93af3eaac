#pragma once
// A minimal blocking Kafka client built on the generated message code, for
// tests that need exact control of the bytes: wrong versions, unknown keys,
// corrupt batches, oversize frames.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "strata/kafka/protocol/messages/headers.h"
#include "strata/kafka/protocol/reader.h"
#include "strata/kafka/protocol/writer.h"

namespace strata::test {

// Where a test reaches a listener: 127.0.0.1 unless the server lives in a
// network namespace of its own (isolated_network). Made from a bare port, as
// most tests' brokers are on loopback.
struct broker_address {
    broker_address(uint16_t p) : port(p) {}  // NOLINT(google-explicit-constructor): a port means loopback
    broker_address(std::string h, uint16_t p) : host(std::move(h)), port(p) {}
    std::string host = "127.0.0.1";
    uint16_t port = 0;
};

// A TCP connection to `to` (from `source_address` if given); the descriptor,
// or -1. Gives up after `timeout_ms`: a host cut off by a test answers nothing.
int connect_to(const broker_address& to, const char* source_address = nullptr, int timeout_ms = 5000);
inline int connect_loopback(uint16_t port, const char* source_address = nullptr) {
    return connect_to(port, source_address);
}

class raw_client {
public:
    // Connects to `to`, from `source_address` (another loopback address such
    // as 127.0.0.2, to look like a second client host) if given.
    explicit raw_client(const broker_address& to, const char* source_address = nullptr);
    ~raw_client();

    // Sends a request with header v1/v2 (as the message's version dictates).
    template<class Req>
    int32_t send(const Req& req, int16_t version) {
        kafka::writer w;
        kafka::msg::request_header h;
        h.request_api_key = Req::kafka_api_key;
        h.request_api_version = version;
        h.correlation_id = next_correlation_++;
        h.client_id = "strata-test";
        h.encode(w, Req::is_flexible(version) ? 2 : 1);
        req.encode(w, version);
        send_frame(w.buffer());
        return h.correlation_id;
    }

    // Receives one response of type Resp; nullopt when the connection closed
    // or nothing came within `timeout_ms`.
    template<class Resp>
    std::optional<Resp> receive(int16_t version, int32_t* correlation_id = nullptr, int timeout_ms = 10000) {
        auto frame = receive_frame(timeout_ms);
        if (!frame) return std::nullopt;
        kafka::reader r(*frame);
        kafka::msg::response_header h;
        bool flexible_header = Resp::is_flexible(version) && Resp::kafka_api_key != 18;
        h.decode(r, flexible_header ? 1 : 0);
        if (correlation_id) *correlation_id = h.correlation_id;
        Resp resp;
        resp.decode(r, version);
        if (!r.ok()) return std::nullopt;
        return resp;
    }

    // The socket, for tests that read its kernel counters (TCP_INFO).
    int fd() const { return fd_; }

    void send_frame(const std::vector<uint8_t>& payload);
    void send_raw(const std::vector<uint8_t>& bytes);
    // The next response frame; nullopt when the connection closed or nothing
    // came within `timeout_ms`.
    std::optional<std::vector<uint8_t>> receive_frame(int timeout_ms = 10000);
    // True when the broker closed the connection (reads EOF within the timeout).
    bool closed_by_peer(int timeout_ms = 5000);

private:
    int fd_ = -1;
    int32_t next_correlation_ = 1;
};

} // namespace strata::test
