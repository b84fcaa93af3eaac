#pragma once
// The four Kafka record codecs, byte-compatible with what the Java client and
// librdkafka write and read. A compressed batch (attributes bits 0-2) holds its
// whole records section as one compressed payload:
//
//   gzip    an RFC 1952 gzip stream (zlib). Concatenated members are accepted,
//           as java.util.zip.GZIPInputStream does.
//   snappy  the Java client writes snappy-java's stream framing: the 8-byte
//           magic 82 'SNAPPY' 00, int32 version, int32 compatible version
//           (both big-endian, 1 and 1), then blocks of int32 big-endian length
//           followed by one raw snappy block. librdkafka writes one plain raw
//           snappy block with no framing. Decoding accepts both, telling them
//           apart by the magic exactly as snappy-java and librdkafka do;
//           encoding writes the framing, which every client reads.
//   lz4     one LZ4 frame (lz4frame.h) with a correct header checksum (magic 2
//           batches; the broken checksum of magic 0 is not our concern).
//           Encoding uses independent 64 KiB blocks and no content size or
//           checksum, the options librdkafka uses and the Java reader accepts.
//   zstd    zstd frames; decoding streams, so frames without a content size
//           (what zstd-jni's output stream writes) work.
//
// Every decoder is bounded by `max_output`: output beyond it is refused as
// errc::corrupt_message before it is produced, so a small batch cannot expand
// into gigabytes (decompression bombs). Undecodable input of any kind is
// errc::corrupt_message; nothing here throws or reads out of bounds.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "strata/base/result.h"
#include "strata/storage/errc.h"
#include "strata/storage/record_batch.h"

namespace strata::storage {

// Each codec's own default: gzip 6, lz4 0 (fast), zstd 3.
inline constexpr int compression_level_default = std::numeric_limits<int>::min();
inline constexpr size_t decompress_unbounded = std::numeric_limits<size_t>::max();

// Compresses `in` and appends the encoded payload to `out` (which keeps its
// capacity, so a reused buffer does not allocate). compression_type::none
// appends `in` unchanged.
result<void, errc> compress_append(compression_type type, std::span<const uint8_t> in,
                                   std::vector<uint8_t>& out, int level = compression_level_default);

result<std::vector<uint8_t>, errc> compress(compression_type type, std::span<const uint8_t> in,
                                            int level = compression_level_default);

// Decompresses with a fresh codec context. Hot paths use decompressor instead.
result<std::vector<uint8_t>, errc> decompress(compression_type type, std::span<const uint8_t> in,
                                              size_t max_output = decompress_unbounded);

// Owns the codecs' decompression contexts (zlib stream, LZ4F and zstd
// contexts) so that decompressing batch after batch reuses them and the
// caller's output buffer instead of allocating per batch. Not thread-safe:
// one per thread or per connection, used by whoever owns it.
class decompressor {
public:
    decompressor();
    ~decompressor();
    decompressor(decompressor&&) noexcept;
    decompressor& operator=(decompressor&&) noexcept;
    decompressor(const decompressor&) = delete;
    decompressor& operator=(const decompressor&) = delete;

    // Replaces the contents of `out` with the decompressed payload; `out`
    // keeps its capacity across calls. On error `out` holds unspecified bytes.
    result<void, errc> decompress(compression_type type, std::span<const uint8_t> in,
                                  std::vector<uint8_t>& out, size_t max_output = decompress_unbounded);

private:
    struct contexts;
    std::unique_ptr<contexts> ctx_;
};

} // namespace strata::storage
