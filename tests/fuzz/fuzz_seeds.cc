// Writes the seed corpora the fuzz targets start from, generated so they
// follow the message definitions and codecs as they change:
//   <dir>/request_decode/  a request (header + default body) for every API key
//                          and version the generated code has
//   <dir>/record_batch/    batches in each codec, alone and concatenated, and
//                          raw compressed record sections for each codec
// (fuzz_properties starts from the files committed in corpus/properties/.)

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "strata/kafka/protocol/messages/api_table.h"
#include "strata/kafka/protocol/messages/headers.h"
#include "strata/storage/batch_builder.h"

namespace {

namespace fs = std::filesystem;
using namespace strata;

void write(const fs::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

template<class Req>
void write_requests(const fs::path& dir, const char* name) {
    for (int16_t v = Req::lowest_version; v <= Req::highest_version; ++v) {
        kafka::writer w;
        kafka::msg::request_header h;
        h.request_api_key = Req::kafka_api_key;
        h.request_api_version = v;
        h.correlation_id = 7;
        h.client_id = "fuzz";
        h.encode(w, Req::is_flexible(v) ? 2 : 1);
        Req{}.encode(w, v);
        write(dir / (std::string(name) + "_v" + std::to_string(v)), w.buffer());
    }
}

std::vector<uint8_t> batch(storage::compression_type codec, int records) {
    storage::batch_options opts;
    opts.compression = codec;
    storage::batch_builder b(opts);
    static const std::string key = "key", value = "value-value-value", hkey = "h";
    static const storage::record_header headers[] = {{storage::bytes_of(hkey), storage::bytes_of(value)},
                                                     {storage::bytes_of(hkey), std::nullopt}};
    for (int i = 0; i < records; ++i) {
        storage::record_input r;
        if (i % 2) r.key = storage::bytes_of(key);
        if (i % 3) r.value = storage::bytes_of(value);
        r.timestamp = 1700000000000 + i;
        if (i % 2 == 0) r.headers = headers;
        b.add(r);
    }
    return *b.build();
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    const fs::path root = argv[1];
    const fs::path requests = root / "request_decode", batches = root / "record_batch";
    fs::create_directories(requests);
    fs::create_directories(batches);
#define STRATA_SEED(name) write_requests<kafka::msg::name##_request>(requests, #name);
    STRATA_FOR_EACH_KAFKA_API(STRATA_SEED)
#undef STRATA_SEED

    using storage::compression_type;
    for (auto codec : {compression_type::none, compression_type::gzip, compression_type::snappy,
                       compression_type::lz4, compression_type::zstd}) {
        const auto n = std::to_string(int(codec));
        // Mode byte 0x10: validate as from a client; 0x00: as replicated/recovered bytes.
        auto one = batch(codec, 5);
        std::vector<uint8_t> in{0x10};
        in.insert(in.end(), one.begin(), one.end());
        write(batches / ("batch_codec" + n), in);
        std::vector<uint8_t> two{0x00};
        two.insert(two.end(), one.begin(), one.end());
        auto more = batch(codec, 2);
        two.insert(two.end(), more.begin(), more.end());
        write(batches / ("two_batches_codec" + n), two);
        if (codec == compression_type::none) continue;
        // Odd mode byte: decompress the payload raw with codec 1 + (mode >> 1) % 4,
        // then read (mode >> 3) records from the result.
        auto plain = batch(compression_type::none, 5);
        std::span<const uint8_t> section{plain.data() + storage::batch_header_size,
                                         plain.size() - storage::batch_header_size};
        auto packed = storage::compress(codec, section);
        std::vector<uint8_t> raw{uint8_t(1 | (int(codec) - 1) << 1 | 5 << 3)};
        raw.insert(raw.end(), packed->begin(), packed->end());
        write(batches / ("raw_codec" + n), raw);
    }
    return 0;
}
