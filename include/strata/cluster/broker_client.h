#pragma once
// A Kafka protocol connection from this broker to another (a follower's
// fetches from its leader): requests encoded and responses decoded by the
// generated message code, one request in flight at a time, every exchange
// bounded by a timeout that closes the connection. Connects on first use and
// again after any failure. Coroutines on the broker thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "strata/base/result.h"
#include "strata/kafka/protocol/messages/headers.h"
#include "strata/kafka/protocol/reader.h"
#include "strata/kafka/protocol/writer.h"

namespace strata::cluster {

enum class client_errc : uint8_t {
    unreachable = 1,  // no connection, or it broke
    timeout,          // no answer within the timeout
    bad_response,     // an answer that does not decode
};

// A decoded response and the frame it points into (records are views).
template <class Resp>
struct response_frame {
    std::vector<uint8_t> frame;
    Resp body;
};

class broker_client {
public:
    broker_client(boost::asio::any_io_executor executor, std::string host, uint16_t port, std::string client_id);
    ~broker_client();

    template <class Req, class Resp>
    boost::asio::awaitable<result<std::unique_ptr<response_frame<Resp>>, client_errc>> call(
        const Req& req, int16_t version, std::chrono::milliseconds timeout) {
        kafka::writer w;
        kafka::msg::request_header h;
        h.request_api_key = Req::kafka_api_key;
        h.request_api_version = version;
        h.correlation_id = next_correlation_++;
        h.client_id = client_id_;
        h.encode(w, Req::is_flexible(version) ? 2 : 1);
        req.encode(w, version);
        auto frame = co_await exchange(w.buffer(), timeout);
        if (!frame) co_return fail(frame.error());
        auto out = std::make_unique<response_frame<Resp>>();
        out->frame = std::move(*frame);
        kafka::reader r(out->frame);
        kafka::msg::response_header rh;
        // ApiVersions answers with header v0 whatever its version (KIP-511).
        rh.decode(r, Resp::is_flexible(version) && Resp::kafka_api_key != 18 ? 1 : 0);
        out->body.decode(r, version);
        if (!r.ok() || rh.correlation_id != h.correlation_id) {
            close();
            co_return fail(client_errc::bad_response);
        }
        co_return std::move(out);
    }

    void close();
    const std::string& host() const { return host_; }
    uint16_t port() const { return port_; }

private:
    // Sends one request frame and reads the response frame.
    boost::asio::awaitable<result<std::vector<uint8_t>, client_errc>> exchange(const std::vector<uint8_t>& request,
                                                                               std::chrono::milliseconds timeout);

    boost::asio::any_io_executor executor_;
    std::string host_;
    uint16_t port_;
    std::string client_id_;
    std::shared_ptr<boost::asio::ip::tcp::socket> socket_;
    int32_t next_correlation_ = 1;
};

} // namespace strata::cluster
