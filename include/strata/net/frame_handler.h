#pragma once
// The contract between a connection and the protocol above it: the connection
// frames bytes (4-byte big-endian size + payload) and hands each complete
// frame to a frame_handler, which answers with a response to write, or with
// nothing (acks=0 produce), or asks to close the connection (a frame it cannot
// parse).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "strata/base/default_init_allocator.h"
#include "strata/kafka/protocol/writer.h"

namespace strata::net {

// A request frame's bytes. resize() does not zero them: the socket read that
// follows overwrites every one.
using frame_bytes = std::vector<uint8_t, default_init_allocator<uint8_t>>;

struct frame_outcome {
    // The encoded response without its size prefix; empty when nothing is sent.
    std::optional<kafka::encoded_message> response;
    // Close the connection after writing the response (if any).
    bool close = false;
};

struct connection_info {
    std::string peer_address;
    uint16_t peer_port = 0;
    uint64_t id = 0;
    // What the protocol above keeps per connection (the Kafka protocol: its
    // produce_pipeline), made by it on first use and freed with the connection.
    mutable std::shared_ptr<void> protocol_state;
};

class frame_handler {
public:
    virtual ~frame_handler() = default;
    // `frame` is owned by the connection and stays valid until the coroutine completes.
    virtual boost::asio::awaitable<frame_outcome> handle_frame(frame_bytes& frame,
                                                               const connection_info& conn) = 0;
};

} // namespace strata::net
