// libFuzzer target: a request frame (what the dispatcher sees after the
// length prefix) decoded as the broker does, for every API key and version the
// generated code knows. Whatever decodes must re-encode to bytes that decode
// to the same message and encode identically again: the decoder and encoder
// agree on every field the fuzzer reaches.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "strata/kafka/protocol/messages/api_table.h"
#include "strata/kafka/protocol/messages/headers.h"

namespace {

using namespace strata::kafka;

template<class Req>
void decode_and_check(std::vector<uint8_t>& frame, int16_t version) {
    reader r(frame);
    msg::request_header header;
    header.decode(r, Req::is_flexible(version) ? 2 : 1);
    if (!r.ok()) return;
    Req req;
    req.decode(r, version);
    if (!r.ok()) return;

    writer w;
    req.encode(w, version);
    std::vector<uint8_t> encoded = w.buffer();
    reader r2(encoded);
    Req again;
    again.decode(r2, version);
    if (!r2.ok() || r2.remaining() != 0 || !(again == req)) std::abort();
    writer w2;
    again.encode(w2, version);
    if (w2.buffer() != encoded) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 8) return 0; // the dispatcher closes such connections
    std::vector<uint8_t> frame(data, data + size);
    const int16_t api_key = int16_t(uint16_t(frame[0]) << 8 | frame[1]);
    const int16_t version = int16_t(uint16_t(frame[2]) << 8 | frame[3]);
    for (const auto& api : msg::all_apis) {
        if (api.key != api_key) continue;
        // Only versions the definition has are ever decoded (others are
        // refused from the header alone).
        if (version < api.lowest_version || version > api.highest_version) return 0;
#define STRATA_FUZZ_DECODE(name) \
        if (api_key == msg::name##_request::kafka_api_key) decode_and_check<msg::name##_request>(frame, version);
        STRATA_FOR_EACH_KAFKA_API(STRATA_FUZZ_DECODE)
#undef STRATA_FUZZ_DECODE
        return 0;
    }
    return 0;
}
