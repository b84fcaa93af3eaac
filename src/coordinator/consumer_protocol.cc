#include "strata/coordinator/consumer_protocol.h"

#include "strata/kafka/protocol/reader.h"
#include "strata/kafka/protocol/writer.h"

namespace strata::coordinator {

std::optional<std::vector<std::string>> subscription_topics(std::span<const uint8_t> metadata) {
    std::vector<uint8_t> bytes(metadata.begin(), metadata.end());
    kafka::reader r(bytes);
    int16_t version = r.read_int16();
    int32_t count = r.read_int32();
    if (!r.ok() || version < 0 || count < 0 || size_t(count) > bytes.size()) return std::nullopt;
    std::vector<std::string> topics;
    topics.reserve(size_t(count));
    for (int32_t i = 0; i < count; ++i) topics.push_back(r.read_string(false));
    if (!r.ok()) return std::nullopt;
    return topics;
}

std::vector<uint8_t> encode_subscription(const std::vector<std::string>& topics) {
    kafka::writer w;
    w.write_int16(0);
    w.write_int32(int32_t(topics.size()));
    for (const auto& t : topics) {
        w.write_int16(int16_t(t.size()));
        w.write_raw(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(t.data()), t.size()));
    }
    w.write_int32(-1);  // no user data
    return w.buffer();
}

} // namespace strata::coordinator
