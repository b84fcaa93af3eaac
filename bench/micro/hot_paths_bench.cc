// Micro-benchmarks of the produce and fetch hot paths: CRC-32C, batch
// validation, varint decoding, offset-index lookup and request decoding.
// Run: make bench-micro (results are machine-specific; compare ratios).

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "strata/base/crc32c.h"
#include "strata/kafka/protocol/messages/produce.h"
#include "strata/storage/batch_builder.h"
#include "strata/storage/batch_validator.h"
#include "strata/storage/offset_index.h"
#include "strata/storage/varint.h"

namespace {

using namespace strata;

std::vector<uint8_t> random_bytes(size_t n) {
    std::mt19937 gen(42);
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = uint8_t(gen());
    return v;
}

void crc32c_bench(benchmark::State& state) {
    auto data = random_bytes(size_t(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(crc32c(data));
    state.SetBytesProcessed(int64_t(state.iterations()) * state.range(0));
}
BENCHMARK(crc32c_bench)->Arg(1024)->Arg(64 * 1024)->Arg(1024 * 1024);

// A producer's batch of `records` 1 KiB random values.
std::vector<uint8_t> sample_batch(int records, storage::compression_type codec) {
    storage::batch_options opts;
    opts.compression = codec;
    storage::batch_builder b(opts);
    auto value = random_bytes(1024);
    for (int i = 0; i < records; ++i) b.add({std::nullopt, std::span<const uint8_t>(value), 1700000000000 + i, {}});
    return *b.build();
}

void validate_batch_bench(benchmark::State& state) {
    auto codec = storage::compression_type(state.range(0));
    auto batch = sample_batch(16, codec);
    storage::validation_limits limits;
    limits.deep = true;
    limits.single_batch = true;
    storage::batch_validator validator(limits);
    for (auto _ : state) benchmark::DoNotOptimize(validator.validate(batch));
    state.SetBytesProcessed(int64_t(state.iterations()) * 16 * 1024);
    state.SetLabel(codec == storage::compression_type::none ? "none" : "lz4");
}
BENCHMARK(validate_batch_bench)->Arg(int(storage::compression_type::none))->Arg(int(storage::compression_type::lz4));

void varint_decode_bench(benchmark::State& state) {
    std::vector<uint8_t> buf;
    uint8_t tmp[10];
    std::mt19937 gen(7);
    for (int i = 0; i < 1000; ++i) {
        size_t n = storage::encode_varint(int32_t(gen() % 100000) - 50000, tmp);
        buf.insert(buf.end(), tmp, tmp + n);
    }
    for (auto _ : state) {
        std::span<const uint8_t> rest(buf);
        int32_t v = 0;
        int64_t sum = 0;
        while (!rest.empty()) {
            size_t used = storage::decode_varint(rest, v);
            rest = rest.subspan(used);
            sum += v;
        }
        benchmark::DoNotOptimize(sum);
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * 1000);
}
BENCHMARK(varint_decode_bench);

void offset_index_lookup_bench(benchmark::State& state) {
    auto dir = std::filesystem::temp_directory_path() / "strata-bench-index";
    std::filesystem::create_directories(dir);
    auto path = dir / "00000000000000000000.index";
    std::filesystem::remove(path);
    auto index = std::move(storage::offset_index::open(path, 0)).value();
    const int entries = int(state.range(0));
    for (int i = 0; i < entries; ++i) index->append(int64_t(i) * 16, uint32_t(i) * 4096);
    std::mt19937 gen(3);
    for (auto _ : state) benchmark::DoNotOptimize(index->lookup(int64_t(gen() % uint32_t(entries * 16))));
    state.SetItemsProcessed(int64_t(state.iterations()));
    index.reset();
    std::filesystem::remove_all(dir);
}
BENCHMARK(offset_index_lookup_bench)->Arg(1000)->Arg(100000);

void produce_request_decode_bench(benchmark::State& state) {
    // A produce request for 16 partitions with 16 KiB of records each.
    auto batch = sample_batch(16, storage::compression_type::none);
    kafka::msg::produce_request req;
    req.acks = -1;
    req.timeout_ms = 30000;
    auto& t = req.topic_data.emplace_back();
    t.name = "bench";
    for (int p = 0; p < 16; ++p) t.partition_data.push_back({p, kafka::records::view(batch)});
    kafka::writer w;
    req.encode(w, 11);
    auto bytes = w.buffer();
    for (auto _ : state) {
        kafka::reader r(bytes);
        kafka::msg::produce_request decoded;
        decoded.decode(r, 11);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
}
BENCHMARK(produce_request_decode_bench);

} // namespace

BENCHMARK_MAIN();
