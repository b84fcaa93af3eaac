#include "strata/storage/compression.h"

#include <lz4frame.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace strata::storage {

namespace {

// snappy-java's stream header: magic, then version and compatible version.
constexpr uint8_t xerial_magic[8] = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0x00};
constexpr size_t xerial_header_size = 16;
// snappy-java's default block size; Java consumers read any size.
constexpr size_t xerial_block_size = 32 * 1024;

failure<errc> corrupt() { return fail(errc::corrupt_message); }

// First output size for a stream of unknown length: a guess of 4x, so that
// typical batches decode without regrowing, and small ones stay small.
size_t initial_output_size(size_t in_size, size_t max_output) {
    size_t guess = in_size > (SIZE_MAX / 4) ? SIZE_MAX : in_size * 4;
    return std::min(std::max<size_t>(guess, 1024), max_output);
}

// The most output a declared size may make us allocate up front for an input
// of `in_size` bytes; beyond it the buffer grows as real output arrives.
size_t trusted_hint(size_t in_size) {
    return in_size > (SIZE_MAX / 256) ? SIZE_MAX : in_size * 256 + 64 * 1024;
}

// Makes room past `used` (doubling), or returns false when `max_output` is
// reached: the caller then reports a decompression bomb.
bool grow(std::vector<uint8_t>& out, size_t used, size_t max_output) {
    if (used >= max_output)
        return false;
    size_t want = used > (SIZE_MAX / 2) ? SIZE_MAX : std::max<size_t>(used * 2, 1024);
    out.resize(std::min(want, max_output));
    return true;
}

} // namespace

struct decompressor::contexts {
    z_stream zs{};
    bool zs_ready = false;
    LZ4F_dctx* lz4 = nullptr;
    ZSTD_DCtx* zstd = nullptr;

    ~contexts() {
        if (zs_ready)
            inflateEnd(&zs);
        if (lz4)
            LZ4F_freeDecompressionContext(lz4);
        if (zstd)
            ZSTD_freeDCtx(zstd);
    }

    result<void, errc> gunzip(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t max_output);
    result<void, errc> lz4_frame(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t max_output);
    result<void, errc> zstd_frames(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t max_output);
};

result<void, errc> decompressor::contexts::gunzip(std::span<const uint8_t> in, std::vector<uint8_t>& out,
                                                  size_t max_output) {
    if (in.size() > UINT_MAX)
        return corrupt();
    if (!zs_ready) {
        // 16 + 15: gzip wrapper only (what Kafka clients write), full window.
        if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
            return corrupt();
        zs_ready = true;
    } else if (inflateReset(&zs) != Z_OK) {
        return corrupt();
    }
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = uInt(in.size());
    out.resize(initial_output_size(in.size(), max_output));
    size_t used = 0;
    for (;;) {
        if (used == out.size() && !grow(out, used, max_output))
            return corrupt();
        size_t space = std::min<size_t>(out.size() - used, UINT_MAX);
        zs.next_out = out.data() + used;
        zs.avail_out = uInt(space);
        int rc = inflate(&zs, Z_NO_FLUSH);
        used += space - zs.avail_out;
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0)
                break;
            // Another gzip member follows (GZIPInputStream reads them all).
            if (inflateReset(&zs) != Z_OK)
                return corrupt();
            continue;
        }
        if (rc == Z_OK)
            continue;
        // Z_BUF_ERROR with output space left means the input ran out early.
        if (rc == Z_BUF_ERROR && zs.avail_out == 0)
            continue;
        return corrupt();
    }
    out.resize(used);
    return {};
}

result<void, errc> decompressor::contexts::lz4_frame(std::span<const uint8_t> in, std::vector<uint8_t>& out,
                                                     size_t max_output) {
    if (!lz4) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&lz4, LZ4F_VERSION)))
            return corrupt();
    } else {
        LZ4F_resetDecompressionContext(lz4);
    }
    LZ4F_frameInfo_t info{};
    size_t pos = in.size();
    if (LZ4F_isError(LZ4F_getFrameInfo(lz4, &info, in.data(), &pos)))
        return corrupt();
    if (info.contentSize > max_output)
        return corrupt();
    // LZ4F checks a declared content size at the end of the frame; until then
    // it is only a hint, capped so a lying header cannot make us allocate.
    out.resize(info.contentSize ? std::min(size_t(info.contentSize), trusted_hint(in.size()))
                                : initial_output_size(in.size(), max_output));
    size_t used = 0;
    for (;;) {
        size_t dst = out.size() - used;
        size_t src = in.size() - pos;
        size_t hint = LZ4F_decompress(lz4, out.data() + used, &dst, in.data() + pos, &src, nullptr);
        if (LZ4F_isError(hint))
            return corrupt();
        used += dst;
        pos += src;
        if (hint == 0) {
            // One frame per batch, as the Java reader expects; trailing bytes are a lie.
            if (pos != in.size())
                return corrupt();
            break;
        }
        if (used == out.size()) {
            if (!grow(out, used, max_output))
                return corrupt();
        } else if (src == 0 && dst == 0) {
            return corrupt(); // truncated frame
        }
    }
    out.resize(used);
    return {};
}

result<void, errc> decompressor::contexts::zstd_frames(std::span<const uint8_t> in, std::vector<uint8_t>& out,
                                                       size_t max_output) {
    if (!zstd) {
        zstd = ZSTD_createDCtx();
        if (!zstd)
            return corrupt();
    } else {
        ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only);
    }
    unsigned long long declared = ZSTD_getFrameContentSize(in.data(), in.size());
    if (declared == ZSTD_CONTENTSIZE_ERROR)
        return corrupt();
    size_t first;
    if (declared == ZSTD_CONTENTSIZE_UNKNOWN) {
        first = initial_output_size(in.size(), max_output);
    } else {
        if (declared > max_output)
            return corrupt();
        // +1 so a frame that really is this size finishes without a regrow;
        // capped because the header is not verified until the frame ends.
        first = std::min({size_t(declared) + 1, max_output, trusted_hint(in.size())});
    }
    out.resize(first);
    ZSTD_inBuffer src{in.data(), in.size(), 0};
    size_t used = 0;
    for (;;) {
        size_t before_in = src.pos;
        ZSTD_outBuffer dst{out.data(), out.size(), used};
        size_t hint = ZSTD_decompressStream(zstd, &dst, &src);
        if (ZSTD_isError(hint))
            return corrupt();
        bool progress = dst.pos != used || src.pos != before_in;
        used = dst.pos;
        if (hint == 0 && src.pos == src.size)
            break; // last frame decoded and flushed
        if (hint == 0)
            continue; // more frames follow
        if (used == out.size()) {
            if (!grow(out, used, max_output))
                return corrupt();
        } else if (!progress) {
            return corrupt(); // truncated frame
        }
    }
    out.resize(used);
    return {};
}

namespace {

result<void, errc> unsnappy_raw(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t at,
                                size_t max_output) {
    const char* src = reinterpret_cast<const char*>(in.data());
    size_t n = 0;
    if (!snappy::GetUncompressedLength(src, in.size(), &n))
        return corrupt();
    // A snappy tag expands at most 64/3 times (a 3-byte copy of 64 bytes), so
    // a larger declared length is a lie; refusing it keeps a 5-byte header
    // from making us allocate gigabytes.
    if (n > max_output || at > max_output - n || n / 32 > in.size())
        return corrupt();
    out.resize(at + n);
    if (!snappy::RawUncompress(src, in.size(), reinterpret_cast<char*>(out.data() + at)))
        return corrupt();
    return {};
}

result<void, errc> unsnappy(std::span<const uint8_t> in, std::vector<uint8_t>& out, size_t max_output) {
    out.clear();
    bool framed = in.size() >= xerial_header_size && std::memcmp(in.data(), xerial_magic, 8) == 0;
    if (!framed)
        return unsnappy_raw(in, out, 0, max_output);
    size_t pos = xerial_header_size;
    while (pos < in.size()) {
        if (in.size() - pos < 4)
            return corrupt();
        size_t len = be::load32(in.data() + pos);
        pos += 4;
        if (len > in.size() - pos)
            return corrupt();
        if (auto r = unsnappy_raw(in.subspan(pos, len), out, out.size(), max_output); !r)
            return r;
        pos += len;
    }
    return {};
}

int clamp_level(int level, int fallback, int lo, int hi) {
    return level == compression_level_default ? fallback : std::clamp(level, lo, hi);
}

result<void, errc> gzip_append(std::span<const uint8_t> in, std::vector<uint8_t>& out, int level) {
    if (in.size() > UINT_MAX)
        return fail(errc::message_too_large);
    z_stream zs{};
    if (deflateInit2(&zs, clamp_level(level, Z_DEFAULT_COMPRESSION, 1, 9), Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return fail(errc::compression_unsupported);
    size_t start = out.size();
    size_t bound = deflateBound(&zs, uLong(in.size()));
    out.resize(start + bound);
    zs.next_in = const_cast<Bytef*>(in.data());
    zs.avail_in = uInt(in.size());
    zs.next_out = out.data() + start;
    zs.avail_out = uInt(std::min<size_t>(bound, UINT_MAX));
    int rc = deflate(&zs, Z_FINISH);
    size_t written = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return fail(errc::compression_unsupported);
    out.resize(start + written);
    return {};
}

void snappy_append(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
    out.insert(out.end(), xerial_magic, xerial_magic + 8);
    uint8_t versions[8];
    be::store32(versions, 1);     // version
    be::store32(versions + 4, 1); // minimum compatible version
    out.insert(out.end(), versions, versions + 8);
    for (size_t pos = 0; pos < in.size(); pos += xerial_block_size) {
        size_t n = std::min(xerial_block_size, in.size() - pos);
        size_t at = out.size();
        out.resize(at + 4 + snappy::MaxCompressedLength(n));
        size_t written = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(in.data() + pos), n,
                            reinterpret_cast<char*>(out.data() + at + 4), &written);
        be::store32(out.data() + at, uint32_t(written));
        out.resize(at + 4 + written);
    }
}

result<void, errc> lz4_append(std::span<const uint8_t> in, std::vector<uint8_t>& out, int level) {
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.blockSizeID = LZ4F_max64KB;
    prefs.frameInfo.blockMode = LZ4F_blockIndependent;
    prefs.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum;
    prefs.compressionLevel = clamp_level(level, 0, 0, 12);
    size_t start = out.size();
    size_t bound = LZ4F_compressFrameBound(in.size(), &prefs);
    out.resize(start + bound);
    size_t written = LZ4F_compressFrame(out.data() + start, bound, in.data(), in.size(), &prefs);
    if (LZ4F_isError(written))
        return fail(errc::compression_unsupported);
    out.resize(start + written);
    return {};
}

result<void, errc> zstd_append(std::span<const uint8_t> in, std::vector<uint8_t>& out, int level) {
    size_t start = out.size();
    size_t bound = ZSTD_compressBound(in.size());
    out.resize(start + bound);
    size_t written = ZSTD_compress(out.data() + start, bound, in.data(), in.size(),
                                   clamp_level(level, 3, ZSTD_minCLevel(), ZSTD_maxCLevel()));
    if (ZSTD_isError(written))
        return fail(errc::compression_unsupported);
    out.resize(start + written);
    return {};
}

} // namespace

decompressor::decompressor() : ctx_(std::make_unique<contexts>()) {}
decompressor::~decompressor() = default;
decompressor::decompressor(decompressor&&) noexcept = default;
decompressor& decompressor::operator=(decompressor&&) noexcept = default;

result<void, errc> decompressor::decompress(compression_type type, std::span<const uint8_t> in,
                                            std::vector<uint8_t>& out, size_t max_output) {
    switch (type) {
    case compression_type::none:
        if (in.size() > max_output)
            return corrupt();
        out.assign(in.begin(), in.end());
        return {};
    case compression_type::gzip: return ctx_->gunzip(in, out, max_output);
    case compression_type::snappy: return unsnappy(in, out, max_output);
    case compression_type::lz4: return ctx_->lz4_frame(in, out, max_output);
    case compression_type::zstd: return ctx_->zstd_frames(in, out, max_output);
    }
    return fail(errc::compression_unsupported);
}

result<void, errc> compress_append(compression_type type, std::span<const uint8_t> in,
                                   std::vector<uint8_t>& out, int level) {
    switch (type) {
    case compression_type::none:
        out.insert(out.end(), in.begin(), in.end());
        return {};
    case compression_type::gzip: return gzip_append(in, out, level);
    case compression_type::snappy: snappy_append(in, out); return {};
    case compression_type::lz4: return lz4_append(in, out, level);
    case compression_type::zstd: return zstd_append(in, out, level);
    }
    return fail(errc::compression_unsupported);
}

result<std::vector<uint8_t>, errc> compress(compression_type type, std::span<const uint8_t> in, int level) {
    std::vector<uint8_t> out;
    if (auto r = compress_append(type, in, out, level); !r)
        return fail(r.error());
    return out;
}

result<std::vector<uint8_t>, errc> decompress(compression_type type, std::span<const uint8_t> in,
                                              size_t max_output) {
    std::vector<uint8_t> out;
    decompressor d;
    if (auto r = d.decompress(type, in, out, max_output); !r)
        return fail(r.error());
    return out;
}

} // namespace strata::storage
